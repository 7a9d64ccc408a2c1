import type { SqlClient, SqlRead } from '../sql-client';
import type { EventRecord, EventState } from '../records';
import { fromJson, toJson, toNumber, toNumberOrNull } from './row-values';

type EventRow = Record<string, unknown>;

export function toEvent(row: EventRow): EventRecord {
  return {
    id: String(row.id),
    tenant: String(row.tenant),
    sourceId: String(row.source_id),
    receiptId: String(row.receipt_id),
    position: toNumber(row.position),
    state: row.state as EventState,
    reasons: fromJson(row.reasons),
    candidate: row.candidate === null ? null : fromJson(row.candidate),
    dedupeKey: (row.dedupe_key as string | null) ?? null,
    incidentId: (row.incident_id as string | null) ?? null,
    mappingVersion: (row.mapping_version as string | null) ?? null,
    receivedAt: toNumber(row.received_at),
    decidedAt: toNumberOrNull(row.decided_at),
    decidedBy: (row.decided_by as string | null) ?? null,
    decisionReason: (row.decision_reason as string | null) ?? null,
  };
}

export interface EventDecision {
  state: EventState;
  actor: string;
  reason: string;
  at: number;
  incidentId?: string;
}

export interface EventQuery {
  state?: EventState;
  sourceId?: string;
  limit?: number;
  /** Only events received before this time (epoch ms); for paging back through a queue. */
  before?: number;
}

export class EventRepository {
  constructor(private readonly sql: SqlClient) {}

  async insert(event: EventRecord): Promise<void> {
    await this.sql.queue(
      `INSERT INTO events (id, tenant, source_id, receipt_id, position, state, reasons, candidate, dedupe_key, incident_id,
         mapping_version, received_at, decided_at, decided_by, decision_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        event.id,
        event.tenant,
        event.sourceId,
        event.receiptId,
        event.position,
        event.state,
        toJson(event.reasons),
        event.candidate === null ? null : toJson(event.candidate),
        event.dedupeKey,
        event.incidentId,
        event.mappingVersion,
        event.receivedAt,
        event.decidedAt,
        event.decidedBy,
        event.decisionReason,
      ],
    );
  }

  async get(tenant: string, id: string): Promise<EventRecord | undefined> {
    const row = await this.sql.get<EventRow>('SELECT * FROM events WHERE tenant = ? AND id = ?', [tenant, id]);
    return row ? toEvent(row) : undefined;
  }

  async list(tenant: string, query: EventQuery = {}): Promise<EventRecord[]> {
    const where = ['tenant = ?'];
    const params: Array<string | number> = [tenant];
    if (query.state) (where.push('state = ?'), params.push(query.state));
    if (query.sourceId) (where.push('source_id = ?'), params.push(query.sourceId));
    if (query.before !== undefined) (where.push('received_at < ?'), params.push(query.before));
    params.push(Math.min(Math.max(query.limit ?? 100, 1), 1000));
    const rows = await this.sql.all<EventRow>(
      `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY received_at DESC, id DESC LIMIT ?`,
      params,
    );
    return rows.map(toEvent);
  }

  async listByReceipt(receiptId: string): Promise<EventRecord[]> {
    const rows = await this.sql.all<EventRow>('SELECT * FROM events WHERE receipt_id = ? ORDER BY position', [receiptId]);
    return rows.map(toEvent);
  }

  /** The event waiting in review for this incident identity, if any. */
  async findPendingByDedupeKey(tenant: string, dedupeKey: string): Promise<EventRecord | undefined> {
    const read = this.findPendingByDedupeKeyRead(tenant, dedupeKey);
    return read.parse(await this.sql.all(read.sql, read.params));
  }

  /** {@link findPendingByDedupeKey} as a read to send with others. */
  findPendingByDedupeKeyRead(tenant: string, dedupeKey: string): SqlRead<EventRecord | undefined> {
    return {
      sql: "SELECT * FROM events WHERE tenant = ? AND dedupe_key = ? AND state = 'pending_review' ORDER BY received_at DESC LIMIT 1",
      params: [tenant, dedupeKey],
      parse: ([row]) => (row ? toEvent(row) : undefined),
    };
  }

  /**
   * Moves an event from `from` to the decision's state, only if it is still in `from`. Returns false when
   * another reviewer (or process) got there first: the transition is the guard against double promotion.
   */
  async transition(tenant: string, id: string, from: EventState, decision: EventDecision): Promise<boolean> {
    const result = await this.sql.run(
      `UPDATE events SET state = ?, decided_at = ?, decided_by = ?, decision_reason = ?, incident_id = COALESCE(?, incident_id)
       WHERE tenant = ? AND id = ? AND state = ?`,
      [decision.state, decision.at, decision.actor, decision.reason, decision.incidentId ?? null, tenant, id, from],
    );
    return result.changes === 1;
  }

  /** Replaces the candidate of a pending event with a newer version of the same incident. */
  async refreshCandidate(id: string, candidate: unknown, mappingVersion: string): Promise<void> {
    await this.sql.queue("UPDATE events SET candidate = ?, mapping_version = ? WHERE id = ? AND state = 'pending_review'", [
      toJson(candidate),
      mappingVersion,
      id,
    ]);
  }

  async countInState(tenant: string, sourceId: string, state: EventState, since: number): Promise<number> {
    const row = await this.sql.get<{ n: unknown }>(
      'SELECT COUNT(*) AS n FROM events WHERE tenant = ? AND source_id = ? AND state = ? AND received_at >= ?',
      [tenant, sourceId, state, since],
    );
    return toNumber(row?.n ?? 0);
  }

  /** Events per state for a tenant, or one of its sources, received since a time. */
  async countByState(tenant: string, options: { sourceId?: string; since?: number } = {}): Promise<Record<string, number>> {
    const rows = options.sourceId
      ? await this.sql.all<{ state: string; n: unknown }>(
          'SELECT state, COUNT(*) AS n FROM events WHERE tenant = ? AND source_id = ? AND received_at >= ? GROUP BY state',
          [tenant, options.sourceId, options.since ?? 0],
        )
      : await this.sql.all<{ state: string; n: unknown }>('SELECT state, COUNT(*) AS n FROM events WHERE tenant = ? AND received_at >= ? GROUP BY state', [
          tenant,
          options.since ?? 0,
        ]);
    return Object.fromEntries(rows.map((row) => [row.state, toNumber(row.n)]));
  }

  /** Retention: removes old events in the given states that never became part of an incident. */
  async deleteUnattachedBefore(tenant: string, states: readonly EventState[], before: number, limit: number): Promise<number> {
    const marks = states.map(() => '?').join(', ');
    const result = await this.sql.run(
      `DELETE FROM events WHERE id IN (
         SELECT id FROM events WHERE tenant = ? AND state IN (${marks}) AND incident_id IS NULL AND received_at < ? LIMIT ?)`,
      [tenant, ...states, before, limit],
    );
    return result.changes;
  }
}
