import type { Migration } from './migration';

/**
 * The console: read-only API tokens (only their SHA-256 is stored; revoking keeps the row for the audit
 * trail), and indexes that end in the id the keyset pages break ties with, so every page of a list reads
 * its rows straight from an index whatever the table's size.
 */
export const consoleSchema: Migration = {
  version: 8,
  name: 'console',
  up() {
    return `
      CREATE TABLE console_api_tokens (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        name TEXT NOT NULL,
        token_sha256 TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT,
        last_used_at BIGINT
      );
      CREATE INDEX console_api_tokens_by_tenant ON console_api_tokens (tenant, created_at);
      CREATE INDEX events_page_by_state ON events (tenant, state, received_at, id);
      CREATE INDEX events_page_by_source ON events (tenant, source_id, state, received_at, id);
      CREATE INDEX incidents_page_by_update ON incidents (tenant, updated_at, id);
      CREATE INDEX deliveries_page_by_destination ON deliveries (tenant, destination_id, state, created_at, id);
      CREATE INDEX deliveries_page_by_time ON deliveries (tenant, created_at, id);
      CREATE INDEX deliveries_page_by_state ON deliveries (tenant, state, created_at, id);
      CREATE INDEX audit_by_actor ON audit (tenant, actor, seq);
      CREATE INDEX audit_by_action ON audit (tenant, action, seq);
    `;
  },
};
