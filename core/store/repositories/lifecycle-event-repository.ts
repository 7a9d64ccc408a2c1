import type { LifecycleEvent } from '../../lifecycle/lifecycle-event';
import type { IncidentRecord } from '../records';
import { toIncident } from './incident-repository';
import type { SqlClient, SqlValue } from '../sql-client';
import { fromJson, toJson, toNumber } from './row-values';

export interface StoredLifecycleEvent {
  seq: number;
  event: LifecycleEvent;
  /** How many times this consumer has claimed it, this claim included. */
  attempts: number;
}

export interface LifecycleClaimQuery {
  tenant: string;
  consumer: string;
  owner: string;
  /** Only these kinds; all when empty. */
  kinds: readonly string[];
  now: number;
  leaseExpiresAt: number;
  limit: number;
}

/** The lifecycle event outbox and each consumer's receipts (migration 011). */
export class LifecycleEventRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Writes the event unless one with the same key exists in the tenant; true when written. */
  async insert(event: LifecycleEvent, key: string): Promise<boolean> {
    const result = await this.sql.run(
      `INSERT INTO lifecycle_events (id, tenant, kind, incident_id, event_key, payload, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, event_key) DO NOTHING`,
      [event.id, event.tenant, event.kind, event.incidentId, key, toJson(event), event.occurredAt],
    );
    return result.changes === 1;
  }

  async list(tenant: string, limit = 1_000): Promise<LifecycleEvent[]> {
    const rows = await this.sql.all<{ payload: unknown }>('SELECT payload FROM lifecycle_events WHERE tenant = ? ORDER BY seq LIMIT ?', [tenant, limit]);
    return rows.map((row) => fromJson<LifecycleEvent>(row.payload));
  }

  /** Registers a consumer on first use; it receives the events written after that. Returns where it starts. */
  async subscribe(tenant: string, consumer: string, now: number): Promise<number> {
    await this.sql.run(
      `INSERT INTO lifecycle_event_consumers (tenant, consumer, first_seq, created_at)
       SELECT ?, ?, COALESCE(MAX(seq), 0), ? FROM lifecycle_events WHERE 1 = 1
       ON CONFLICT (tenant, consumer) DO NOTHING`,
      [tenant, consumer, now],
    );
    const row = await this.sql.get<{ first_seq: unknown }>('SELECT first_seq FROM lifecycle_event_consumers WHERE tenant = ? AND consumer = ?', [tenant, consumer]);
    return toNumber(row!.first_seq);
  }

  /**
   * Leases the consumer's oldest events that are neither acknowledged nor leased to someone else. Each lease is
   * one guarded upsert, so of two processes claiming the same event at once only one gets it.
   */
  async claim(query: LifecycleClaimQuery, afterSeq: number): Promise<StoredLifecycleEvent[]> {
    const kindFilter = query.kinds.length ? `AND e.kind IN (${query.kinds.map(() => '?').join(', ')})` : '';
    const candidates = await this.sql.all<{ seq: unknown; payload: unknown }>(
      `SELECT e.seq, e.payload FROM lifecycle_events e
       LEFT JOIN lifecycle_event_receipts r ON r.tenant = e.tenant AND r.consumer = ? AND r.event_seq = e.seq
       WHERE e.tenant = ? AND e.seq > ? ${kindFilter}
         AND (r.event_seq IS NULL OR (r.acknowledged_at IS NULL AND r.lease_expires_at <= ?))
       ORDER BY e.seq LIMIT ?`,
      [query.consumer, query.tenant, afterSeq, ...query.kinds, query.now, query.limit] as SqlValue[],
    );
    const claimed: StoredLifecycleEvent[] = [];
    for (const row of candidates) {
      const seq = toNumber(row.seq);
      const lease = await this.sql.get<{ attempts: unknown }>(
        `INSERT INTO lifecycle_event_receipts (tenant, consumer, event_seq, lease_owner, lease_expires_at, attempts, acknowledged_at) VALUES (?, ?, ?, ?, ?, 1, NULL)
         ON CONFLICT (tenant, consumer, event_seq) DO UPDATE SET lease_owner = excluded.lease_owner, lease_expires_at = excluded.lease_expires_at, attempts = lifecycle_event_receipts.attempts + 1
         WHERE lifecycle_event_receipts.acknowledged_at IS NULL AND lifecycle_event_receipts.lease_expires_at <= ?
         RETURNING attempts`,
        [query.tenant, query.consumer, seq, query.owner, query.leaseExpiresAt, query.now],
      );
      if (lease) claimed.push({ seq, event: fromJson<LifecycleEvent>(row.payload), attempts: toNumber(lease.attempts) });
    }
    return claimed;
  }

  /** Marks events sent; only the holder of the lease may. Returns how many it acknowledged. */
  async acknowledge(tenant: string, consumer: string, owner: string, seqs: readonly number[], now: number): Promise<number> {
    let acknowledged = 0;
    for (const seq of seqs) {
      const result = await this.sql.run(
        'UPDATE lifecycle_event_receipts SET acknowledged_at = ?, lease_owner = NULL WHERE tenant = ? AND consumer = ? AND event_seq = ? AND lease_owner = ? AND acknowledged_at IS NULL',
        [now, tenant, consumer, seq, owner],
      );
      acknowledged += result.changes;
    }
    return acknowledged;
  }

  /** Gives leased events back at once (e.g. a node closing before it sent them). */
  async release(tenant: string, consumer: string, owner: string, seqs: readonly number[]): Promise<void> {
    for (const seq of seqs) {
      await this.sql.run('UPDATE lifecycle_event_receipts SET lease_expires_at = 0, lease_owner = NULL WHERE tenant = ? AND consumer = ? AND event_seq = ? AND lease_owner = ? AND acknowledged_at IS NULL', [
        tenant,
        consumer,
        seq,
        owner,
      ]);
    }
  }

  /** A page of the tenant's incidents classified DORA major or NIS2 significant, by id: the ones a regulatory clock runs for. */
  async regulatedIncidents(tenant: string, afterId: string, limit: number): Promise<IncidentRecord[]> {
    const rows = await this.sql.all<Record<string, unknown>>(
      'SELECT * FROM incidents WHERE tenant = ? AND (dora_major = 1 OR nis2_significant = 1) AND id > ? ORDER BY id LIMIT ?',
      [tenant, afterId, limit],
    );
    return rows.map(toIncident);
  }
}
