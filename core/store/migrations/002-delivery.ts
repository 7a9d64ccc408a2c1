import type { Migration } from './migration';

/**
 * The delivery outbox: destination state (never secrets), one row per (destination, incident, event
 * version), the attempts made for it, and ids remote systems gave back (e.g. the incident.io incident id).
 */
export const deliverySchema: Migration = {
  version: 2,
  name: 'delivery',
  up() {
    return `
      CREATE TABLE destinations (
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        disabled_reason TEXT,
        disabled_at BIGINT,
        paused_until BIGINT,
        rate_tokens DOUBLE PRECISION,
        rate_refilled_at BIGINT,
        last_result TEXT,
        last_result_at BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (tenant, id)
      );
      CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        destination_id TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        event_version INTEGER NOT NULL,
        event_kind TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        total_attempts INTEGER NOT NULL DEFAULT 0,
        replays INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT,
        lease_owner TEXT,
        lease_expires_at BIGINT,
        last_status INTEGER,
        last_error TEXT,
        remote_id TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        delivered_at BIGINT,
        dead_lettered_at BIGINT,
        FOREIGN KEY (tenant, destination_id) REFERENCES destinations (tenant, id),
        UNIQUE (tenant, destination_id, idempotency_key)
      );
      CREATE INDEX deliveries_due ON deliveries (tenant, destination_id, state, next_attempt_at, created_at);
      CREATE INDEX deliveries_finished ON deliveries (tenant, state, updated_at);
      CREATE INDEX deliveries_by_incident ON deliveries (tenant, destination_id, incident_id, event_version);
      CREATE TABLE delivery_attempts (
        delivery_id TEXT NOT NULL REFERENCES deliveries (id),
        number INTEGER NOT NULL,
        tenant TEXT NOT NULL,
        destination_id TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        duration_ms INTEGER NOT NULL,
        http_status INTEGER,
        outcome TEXT NOT NULL,
        reason TEXT NOT NULL,
        summary TEXT NOT NULL,
        PRIMARY KEY (delivery_id, number)
      );
      CREATE TABLE delivery_remote_refs (
        tenant TEXT NOT NULL,
        destination_id TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (tenant, destination_id, incident_id, name)
      );
    `;
  },
};
