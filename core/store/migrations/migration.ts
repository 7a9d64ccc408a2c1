import type { Dialect, SqlClient } from '../sql-client';

/** One versioned schema step. `up` returns the DDL for the engine; it runs once, inside a transaction. */
export interface Migration {
  version: number;
  name: string;
  up(dialect: Dialect): string;
  /** Fills new tables from existing rows where SQL alone cannot (e.g. a digest); runs after `up`, in its transaction. */
  backfill?(client: SqlClient): Promise<void>;
}

/** Column types that differ between the engines. */
export function columnTypes(dialect: Dialect) {
  return {
    blob: dialect === 'sqlite' ? 'BLOB' : 'BYTEA',
    serialKey: dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY',
  };
}
