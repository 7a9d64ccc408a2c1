import { columnTypes, type Migration } from './migration';

/**
 * The lifecycle event outbox (acknowledged, classified, owner changed, evidence, reports, deadline alerts) that
 * host flows consume, beside the delivery outbox. `event_key` is unique per tenant, so an event that must
 * happen once (a deadline alert per incident, deadline and lead) is written once however many processes try.
 * Each consumer (a flow node's subscription) keeps its own receipt per event: a lease while it is sent, then
 * the acknowledgement; it sees the events written after it first subscribed.
 */
export const lifecycleEvents: Migration = {
  version: 11,
  name: 'lifecycle-events',
  up: (dialect) => `
    CREATE TABLE lifecycle_events (
      seq ${columnTypes(dialect).serialKey},
      id TEXT NOT NULL UNIQUE,
      tenant TEXT NOT NULL,
      kind TEXT NOT NULL,
      incident_id TEXT NOT NULL,
      event_key TEXT NOT NULL,
      payload TEXT NOT NULL,
      occurred_at BIGINT NOT NULL,
      UNIQUE (tenant, event_key)
    );
    CREATE INDEX lifecycle_events_by_tenant ON lifecycle_events (tenant, seq);
    CREATE TABLE lifecycle_event_consumers (
      tenant TEXT NOT NULL,
      consumer TEXT NOT NULL,
      first_seq BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      PRIMARY KEY (tenant, consumer)
    );
    CREATE TABLE lifecycle_event_receipts (
      tenant TEXT NOT NULL,
      consumer TEXT NOT NULL,
      event_seq BIGINT NOT NULL,
      lease_owner TEXT,
      lease_expires_at BIGINT,
      attempts INTEGER NOT NULL,
      acknowledged_at BIGINT,
      PRIMARY KEY (tenant, consumer, event_seq)
    );
    CREATE INDEX incidents_regulated ON incidents (tenant, id) WHERE dora_major = 1 OR nis2_significant = 1;
  `,
};
