import type { Migration } from './migration';

/**
 * Drops the per-destination token bucket of migration 2, unused since migration 12 moved the buckets to
 * `rate_buckets`. (SQLite has DROP COLUMN since 3.35, without IF EXISTS; neither column is in an index.)
 */
export const dropUnusedRateColumns: Migration = {
  version: 14,
  name: 'drop-unused-rate-columns',
  up: (dialect) =>
    dialect === 'sqlite'
      ? `
    ALTER TABLE destinations DROP COLUMN rate_tokens;
    ALTER TABLE destinations DROP COLUMN rate_refilled_at;`
      : `
    ALTER TABLE destinations DROP COLUMN IF EXISTS rate_tokens, DROP COLUMN IF EXISTS rate_refilled_at;`,
};
