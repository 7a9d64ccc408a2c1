import type { SqlClient, SqlValue } from '../sql-client';
import type { DeliveryRecord, DeliveryState } from '../delivery-records';
import { claimDuePostgres } from './claim-due-postgres';
import { completeDeliveries, type CompletionEntry } from './delivery-completions';
import { toDelivery, type DeliveryRow } from './delivery-row';
import { toJson, toNumber } from './row-values';

export interface ClaimRequest {
  tenant: string;
  destinationId: string;
  now: number;
  limit: number;
  owner: string;
  leaseExpiresAt: number;
  /** FIFO per incident: a delivery waits while an earlier version for the same incident is still pending. */
  perIncidentOrder: boolean;
}

/** A claimed delivery; `interrupted` describes the attempt a previous lease holder never finished. */
export interface ClaimedDelivery {
  delivery: DeliveryRecord;
  interrupted: { number: number; owner: string | null; claimedAt: number; leaseExpiredAt: number } | null;
}

/** The lease a worker holds; completing with a stale lease (someone reclaimed it) changes nothing. */
export interface LeaseToken {
  owner: string;
  totalAttempts: number;
}

export interface DeliveryCompletion {
  state: Extract<DeliveryState, 'scheduled' | 'delivered' | 'dead_letter'>;
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  remoteId: string | null;
  now: number;
}

export interface DeadLetterFilter {
  incidentId?: string;
  /** Dead-lettered at or after (epoch ms). */
  since?: number;
  /** Dead-lettered before (epoch ms). */
  until?: number;
  lastStatus?: number;
  /** Whose last error contains this text (case-insensitive), e.g. `connection_refused`, `timeout`, `http_422`. */
  errorContains?: string;
}

export interface DeliveryListQuery {
  destinationId?: string;
  incidentId?: string;
  state?: DeliveryState;
  limit?: number;
}

/** A dead letter a replay left alone, and the newer version of its incident that made it obsolete. */
export interface SkippedReplay {
  id: string;
  incidentId: string;
  eventVersion: number;
  reason: 'superseded';
  newerId: string;
  newerVersion: number;
  /** `dead_letter` when the newer version is replayed in the same run. */
  newerState: DeliveryState;
}

export interface ReplayOutcome {
  replayed: string[];
  skipped: SkippedReplay[];
}

export interface VersionRow {
  id: string;
  incidentId: string;
  eventVersion: number;
  state: DeliveryState;
}

function toVersionRow(row: Record<string, unknown>): VersionRow {
  return { id: String(row.id), incidentId: String(row.incident_id), eventVersion: toNumber(row.event_version), state: String(row.state) as DeliveryState };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

export type DeliveryCounts = Record<DeliveryState, number> & { scheduledRetries: number };

/** In flight, but the lease ran out: the worker holding it died or hung. Few rows, so no order is needed. */
export const LEASE_EXPIRED = "d.state = 'in_flight' AND d.lease_expires_at <= ?";
/** Scheduled and due; the index on (tenant, destination_id, state, next_attempt_at, created_at) serves the order. */
export const SCHEDULED_DUE = "d.state = 'scheduled' AND d.next_attempt_at <= ?";
/** What a claim sets: the lease, and one more attempt. */
const LEASE = `state = 'in_flight', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1, total_attempts = total_attempts + 1, updated_at = ?`;
export const EARLIER_PENDING = `NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.tenant = d.tenant AND e.destination_id = d.destination_id
  AND e.incident_id = d.incident_id AND e.state IN ('scheduled', 'in_flight') AND e.event_version < d.event_version)`;

const fifoCondition = (request: ClaimRequest) => (request.perIncidentOrder ? ` AND ${EARLIER_PENDING}` : '');

/** The outbox: one row per (destination, incident, event version), claimed with a lease by workers. */
export class DeliveryRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Adds a delivery. Returns false when one with the same idempotency key exists for the destination (nothing written). */
  async insert(delivery: DeliveryRecord): Promise<boolean> {
    const result = await this.sql.run(
      `INSERT INTO deliveries (id, tenant, destination_id, incident_id, event_version, event_kind, idempotency_key, payload, state,
         attempts, total_attempts, replays, next_attempt_at, lease_owner, lease_expires_at, last_status, last_error, remote_id,
         created_at, updated_at, delivered_at, dead_lettered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, destination_id, idempotency_key) DO NOTHING`,
      [
        delivery.id,
        delivery.tenant,
        delivery.destinationId,
        delivery.incidentId,
        delivery.eventVersion,
        delivery.eventKind,
        delivery.idempotencyKey,
        toJson(delivery.payload),
        delivery.state,
        delivery.attempts,
        delivery.totalAttempts,
        delivery.replays,
        delivery.nextAttemptAt,
        delivery.leaseOwner,
        delivery.leaseExpiresAt,
        delivery.lastStatus,
        delivery.lastError,
        delivery.remoteId,
        delivery.createdAt,
        delivery.updatedAt,
        delivery.deliveredAt,
        delivery.deadLetteredAt,
      ],
    );
    return result.changes === 1;
  }

  async get(tenant: string, id: string): Promise<DeliveryRecord | undefined> {
    const row = await this.sql.get<DeliveryRow>('SELECT * FROM deliveries WHERE tenant = ? AND id = ?', [tenant, id]);
    return row ? toDelivery(row) : undefined;
  }

  async getByKey(tenant: string, destinationId: string, idempotencyKey: string): Promise<DeliveryRecord | undefined> {
    const row = await this.sql.get<DeliveryRow>('SELECT * FROM deliveries WHERE tenant = ? AND destination_id = ? AND idempotency_key = ?', [
      tenant,
      destinationId,
      idempotencyKey,
    ]);
    return row ? toDelivery(row) : undefined;
  }

  /**
   * Leases up to `limit` due deliveries of one destination: scheduled ones whose time has come and in-flight
   * ones whose lease expired (their worker died or hung), those first. Each claim counts as an attempt. PostgreSQL
   * skips rows another transaction is claiming (`FOR UPDATE SKIP LOCKED`) and claims in one statement; SQLite
   * has a single writer.
   */
  async claimDue(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    if (request.limit < 1) return [];
    if (this.sql.dialect === 'postgres') return claimDuePostgres(this.sql, request);
    const expired = await this.claimExpired(request);
    const due = expired.length < request.limit ? await this.claimScheduled(request, request.limit - expired.length) : [];
    return [...expired, ...due];
  }

  /** SQLite: in-flight deliveries whose lease ran out, with what their last holder left behind. Usually none. */
  private async claimExpired(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    const candidates = await this.sql.all<DeliveryRow>(
      `SELECT d.id, d.total_attempts, d.lease_owner, d.lease_expires_at, d.updated_at FROM deliveries d
       WHERE d.tenant = ? AND d.destination_id = ? AND ${LEASE_EXPIRED}${fifoCondition(request)}
       ORDER BY d.next_attempt_at, d.created_at LIMIT ?`,
      [request.tenant, request.destinationId, request.now, request.limit],
    );
    if (candidates.length === 0) return [];
    const ids = candidates.map((row) => String(row.id));
    const rows = await this.sql.all<DeliveryRow>(
      `UPDATE deliveries SET ${LEASE} WHERE id IN (${ids.map(() => '?').join(', ')}) AND state = 'in_flight' AND lease_expires_at <= ? RETURNING *`,
      // By primary key only: the ids come from the tenant-scoped select above, and a tenant condition here
      // would tempt SQLite into scanning the tenant's rows through a tenant-prefixed index.
      [request.owner, request.leaseExpiresAt, request.now, ...ids, request.now],
    );
    const claimed = new Map(rows.map((row) => [String(row.id), toDelivery(row)]));
    return candidates.flatMap((candidate) => {
      const delivery = claimed.get(String(candidate.id));
      if (!delivery) return [];
      const interrupted = {
        number: toNumber(candidate.total_attempts),
        owner: (candidate.lease_owner as string | null) ?? null,
        claimedAt: toNumber(candidate.updated_at),
        leaseExpiredAt: toNumber(candidate.lease_expires_at),
      };
      return [{ delivery, interrupted }];
    });
  }

  /**
   * SQLite: scheduled deliveries that are due, oldest first, leased in one statement. The rows are picked by
   * rowid from the due index alone (it covers the choice), then updated by rowid.
   */
  private async claimScheduled(request: ClaimRequest, limit: number): Promise<ClaimedDelivery[]> {
    const rows = await this.sql.all<DeliveryRow>(
      `UPDATE deliveries SET ${LEASE} WHERE rowid IN (SELECT d.rowid FROM deliveries d
         WHERE d.tenant = ? AND d.destination_id = ? AND ${SCHEDULED_DUE}${fifoCondition(request)}
         ORDER BY d.next_attempt_at, d.created_at LIMIT ?) RETURNING *`,
      [request.owner, request.leaseExpiresAt, request.now, request.tenant, request.destinationId, request.now, limit],
    );
    return rows
      .map(toDelivery)
      .sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || a.createdAt - b.createdAt)
      .map((delivery) => ({ delivery, interrupted: null }));
  }

  /** Ends the leases an owner holds (a restarted worker with a stable id), making those deliveries due now. */
  async releaseLeases(owner: string, now: number): Promise<number> {
    const result = await this.sql.run("UPDATE deliveries SET lease_expires_at = ?, updated_at = ? WHERE state = 'in_flight' AND lease_owner = ?", [
      now,
      now,
      owner,
    ]);
    return result.changes;
  }

  /** Records how an attempt ended. Returns false when the lease is no longer held (another worker reclaimed it). */
  async complete(tenant: string, id: string, lease: LeaseToken, completion: DeliveryCompletion): Promise<boolean> {
    const result = await this.sql.run(
      `UPDATE deliveries SET state = ?, next_attempt_at = ?, lease_owner = NULL, lease_expires_at = NULL, last_status = ?, last_error = ?,
         remote_id = COALESCE(?, remote_id), updated_at = ?, delivered_at = ?, dead_lettered_at = ?
       WHERE tenant = ? AND id = ? AND state = 'in_flight' AND lease_owner = ? AND total_attempts = ?`,
      [
        completion.state,
        completion.nextAttemptAt,
        completion.lastStatus,
        completion.lastError,
        completion.remoteId,
        completion.now,
        completion.state === 'delivered' ? completion.now : null,
        completion.state === 'dead_letter' ? completion.now : null,
        tenant,
        id,
        lease.owner,
        lease.totalAttempts,
      ],
    );
    return result.changes === 1;
  }

  /**
   * {@link complete} for several attempts. Returns the ids whose lease was still held. One statement on
   * PostgreSQL (one round trip); one per delivery on SQLite, in-process, where that is cheaper than the join.
   */
  async completeMany(entries: readonly CompletionEntry[]): Promise<Set<string>> {
    if (this.sql.dialect === 'postgres') return completeDeliveries(this.sql, entries);
    const held = new Set<string>();
    for (const { tenant, id, lease, completion } of entries) if (await this.complete(tenant, id, lease, completion)) held.add(id);
    return held;
  }

  /**
   * Schedules dead letters again with a fresh retry budget; the idempotency key stays. With `ids`, only those;
   * otherwise every dead letter of the destination that matches the filter. Unless `force`, a dead letter is
   * skipped as `superseded` when a newer version of its incident (to the same destination) was delivered, is
   * pending, or is replayed with it: a receiver never gets an older state after a newer one.
   */
  async replayDeadLetters(tenant: string, destinationId: string, selection: { ids?: readonly string[]; filter?: DeadLetterFilter; force?: boolean }, now: number): Promise<ReplayOutcome> {
    const candidates = await this.deadLetterVersions(tenant, destinationId, selection);
    const skipped = selection.force ? [] : await this.superseded(tenant, destinationId, candidates);
    const skippedIds = new Set(skipped.map((entry) => entry.id));
    const replayed: string[] = [];
    for (const candidate of candidates) {
      if (skippedIds.has(candidate.id)) continue;
      const row = await this.sql.get<{ id: string }>(
        `UPDATE deliveries SET state = 'scheduled', attempts = 0, replays = replays + 1, next_attempt_at = ?, dead_lettered_at = NULL, updated_at = ?
         WHERE tenant = ? AND id = ? AND state = 'dead_letter' RETURNING id`,
        [now, now, tenant, candidate.id],
      );
      if (row) replayed.push(String(row.id));
    }
    return { replayed, skipped };
  }

  /** The selected dead letters' incidents and versions, by incident and newest version first. */
  async deadLetterVersions(tenant: string, destinationId: string, selection: { ids?: readonly string[]; filter?: DeadLetterFilter }): Promise<VersionRow[]> {
    const filter = selection.filter ?? {};
    const where = new Conditions(['tenant = ?', 'destination_id = ?', "state = 'dead_letter'"], [tenant, destinationId])
      .add('incident_id = ?', filter.incidentId)
      .add('dead_lettered_at >= ?', filter.since)
      .add('dead_lettered_at < ?', filter.until)
      .add('last_status = ?', filter.lastStatus)
      .add("LOWER(last_error) LIKE ? ESCAPE '\\'", filter.errorContains === undefined ? undefined : containsPattern(filter.errorContains));
    const select = `SELECT id, incident_id, event_version, state FROM deliveries WHERE ${where.sql}`;
    if (selection.ids === undefined) return (await this.sql.all<Record<string, unknown>>(`${select} ORDER BY incident_id, event_version DESC, id`, where.params)).map(toVersionRow);
    const rows: VersionRow[] = [];
    for (const chunk of chunks([...new Set(selection.ids)], 500)) {
      const found = await this.sql.all<Record<string, unknown>>(`${select} AND id IN (${chunk.map(() => '?').join(', ')})`, [...where.params, ...chunk]);
      rows.push(...found.map(toVersionRow));
    }
    return rows.sort((a, b) => (a.incidentId < b.incidentId ? -1 : a.incidentId > b.incidentId ? 1 : b.eventVersion - a.eventVersion));
  }

  /** Candidates a newer version of their incident (delivered, pending, or another candidate) makes obsolete. */
  private async superseded(tenant: string, destinationId: string, candidates: readonly VersionRow[]): Promise<SkippedReplay[]> {
    const newest = new Map<string, VersionRow>();
    for (const chunk of chunks([...new Set(candidates.map((candidate) => candidate.incidentId))], 500)) {
      const rows = await this.sql.all<Record<string, unknown>>(
        `SELECT id, incident_id, event_version, state FROM deliveries WHERE tenant = ? AND destination_id = ? AND state IN ('delivered', 'scheduled', 'in_flight')
         AND incident_id IN (${chunk.map(() => '?').join(', ')})`,
        [tenant, destinationId, ...chunk],
      );
      for (const row of [...rows.map(toVersionRow), ...candidates]) {
        const known = newest.get(row.incidentId);
        if (chunk.includes(row.incidentId) && (!known || row.eventVersion > known.eventVersion)) newest.set(row.incidentId, row);
      }
    }
    return candidates
      .filter((candidate) => newest.get(candidate.incidentId)!.eventVersion > candidate.eventVersion)
      .map((candidate) => {
        const newer = newest.get(candidate.incidentId)!;
        return { id: candidate.id, incidentId: candidate.incidentId, eventVersion: candidate.eventVersion, reason: 'superseded', newerId: newer.id, newerVersion: newer.eventVersion, newerState: newer.state };
      });
  }

  /** Stops a delivery that has not been delivered yet. Returns false when it already finished or is being sent. */
  async cancel(tenant: string, id: string, now: number): Promise<boolean> {
    const result = await this.sql.run(
      "UPDATE deliveries SET state = 'cancelled', next_attempt_at = NULL, updated_at = ? WHERE tenant = ? AND id = ? AND state IN ('scheduled', 'dead_letter')",
      [now, tenant, id],
    );
    return result.changes === 1;
  }

  /** Deletes delivered and cancelled deliveries last touched before `before`, with their attempts. Returns how many. */
  async deleteFinishedBefore(tenant: string, before: number): Promise<number> {
    const finished = "tenant = ? AND state IN ('delivered', 'cancelled') AND updated_at < ?";
    await this.sql.run(`DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE ${finished})`, [tenant, before]);
    const result = await this.sql.run(`DELETE FROM deliveries WHERE ${finished}`, [tenant, before]);
    return result.changes;
  }

  async list(tenant: string, query: DeliveryListQuery = {}): Promise<DeliveryRecord[]> {
    const where = new Conditions(['tenant = ?'], [tenant])
      .add('destination_id = ?', query.destinationId)
      .add('incident_id = ?', query.incidentId)
      .add('state = ?', query.state);
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const rows = await this.sql.all<DeliveryRow>(`SELECT * FROM deliveries WHERE ${where.sql} ORDER BY created_at, id LIMIT ?`, [...where.params, limit]);
    return rows.map(toDelivery);
  }

  async counts(tenant: string, destinationId: string): Promise<DeliveryCounts> {
    const rows = await this.sql.all<{ state: string; n: unknown; retries: unknown }>(
      `SELECT state, COUNT(*) AS n, SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END) AS retries
       FROM deliveries WHERE tenant = ? AND destination_id = ? GROUP BY state`,
      [tenant, destinationId],
    );
    const counts: DeliveryCounts = { scheduled: 0, in_flight: 0, delivered: 0, dead_letter: 0, cancelled: 0, scheduledRetries: 0 };
    for (const row of rows) {
      counts[row.state as DeliveryState] = toNumber(row.n);
      if (row.state === 'scheduled') counts.scheduledRetries = toNumber(row.retries ?? 0);
    }
    return counts;
  }

  /** The earliest time a scheduled delivery of the destination falls due, if any. */
  async nextDueAt(tenant: string, destinationId: string): Promise<number | undefined> {
    const row = await this.sql.get<{ due: unknown }>(
      "SELECT MIN(next_attempt_at) AS due FROM deliveries WHERE tenant = ? AND destination_id = ? AND state = 'scheduled'",
      [tenant, destinationId],
    );
    return row?.due === null || row?.due === undefined ? undefined : toNumber(row.due);
  }
}

/** A WHERE clause built from optional filters: a filter left undefined adds nothing. */
/** A LIKE pattern matching values that contain `text` (lower-cased), with LIKE's wildcards taken literally. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

class Conditions {
  constructor(
    private readonly parts: string[],
    readonly params: SqlValue[],
  ) {}

  add(condition: string, value: SqlValue | undefined): this {
    if (value !== undefined) {
      this.parts.push(condition);
      this.params.push(value);
    }
    return this;
  }

  get sql(): string {
    return this.parts.join(' AND ');
  }
}
