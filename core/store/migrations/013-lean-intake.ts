import type { Migration } from './migration';

/**
 * A leaner intake write path. Two event indexes go that are prefixes of the paging indexes of migration 8
 * (every query they served uses those), so each event updates two B-trees fewer. On SQLite the counters
 * become a WITHOUT ROWID table: one B-tree keyed by (tenant, name, window_start) instead of a table and its
 * key index. On PostgreSQL, `intake_expect_change` lets a guarded write sent in a batch (see the store's
 * `queueExpectingChange`) fail its transaction with SQLSTATE II001 when it changed nothing, so the unit of
 * work is run again instead of going on with a stale read.
 */
export const leanIntake: Migration = {
  version: 13,
  name: 'lean-intake',
  up: (dialect) => `
    DROP INDEX IF EXISTS events_by_state;
    DROP INDEX IF EXISTS events_by_source;
    ${dialect === 'sqlite' ? SQLITE_COUNTERS : POSTGRES_FUNCTIONS}
  `,
};

const SQLITE_COUNTERS = `
    CREATE TABLE counters_keyed (
      tenant TEXT NOT NULL,
      name TEXT NOT NULL,
      window_start BIGINT NOT NULL,
      count INTEGER NOT NULL,
      PRIMARY KEY (tenant, name, window_start)
    ) WITHOUT ROWID;
    INSERT INTO counters_keyed (tenant, name, window_start, count) SELECT tenant, name, window_start, count FROM counters;
    DROP TABLE counters;
    ALTER TABLE counters_keyed RENAME TO counters;`;

const POSTGRES_FUNCTIONS = `
    CREATE OR REPLACE FUNCTION intake_expect_change(changed boolean, what text) RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT changed THEN
        RAISE EXCEPTION 'a concurrent write got there first (%)', what USING ERRCODE = 'II001';
      END IF;
      RETURN true;
    END $$;`;
