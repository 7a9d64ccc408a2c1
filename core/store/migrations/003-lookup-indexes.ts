import type { Migration } from './migration';

/**
 * Indexes for two lookups every intake makes, which grew with the store: the newest pending event for a
 * dedupe key (the planner preferred the state index for its ORDER BY and walked every pending event of the
 * tenant) and the tail of a tenant's audit chain (sorted every entry of the tenant to find the last one).
 * Both now read one index entry whatever the store's size.
 */
export const lookupIndexes: Migration = {
  version: 3,
  name: 'lookup-indexes',
  up() {
    return `
      CREATE INDEX events_pending_by_dedupe_key ON events (tenant, dedupe_key, state, received_at);
      DROP INDEX events_by_dedupe_key;
      CREATE INDEX audit_by_tenant ON audit (tenant, seq);
    `;
  },
};
