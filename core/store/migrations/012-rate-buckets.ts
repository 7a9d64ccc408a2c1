import type { Migration } from './migration';

/**
 * One token bucket per thing a remote limits (an incident.io alert source, a receiver a key names), shared by
 * every destination that points at it and every process on the store. Replaces the per-destination bucket in
 * `destinations.rate_tokens`, which is left unused.
 */
export const rateBuckets: Migration = {
  version: 12,
  name: 'rate-buckets',
  up: () => `
    CREATE TABLE rate_buckets (
      bucket TEXT PRIMARY KEY,
      tokens DOUBLE PRECISION,
      refilled_at BIGINT,
      updated_at BIGINT NOT NULL
    );
  `,
};
