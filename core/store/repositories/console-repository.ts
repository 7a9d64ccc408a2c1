import type { SqlClient, SqlValue } from '../sql-client';
import type { AuditEntry, EventRecord, EventState, IncidentRecord } from '../records';
import type { DeliveryRecord, DeliveryState } from '../delivery-records';
import { toEntry } from './audit-repository';
import { toDelivery, type DeliveryRow } from './delivery-row';
import { toEvent } from './event-repository';
import { toIncident } from './incident-repository';
import { fromJson, toNumber, toNumberOrNull } from './row-values';

/** Where a keyset page starts: after the row with this sort value and id (both descending unless stated). */
export interface TimeCursor {
  at: number;
  id: string;
}

export interface EventPageQuery {
  state: EventState;
  sourceId?: string;
  after?: TimeCursor;
  limit: number;
}

export interface IncidentPageQuery {
  view: 'active' | 'recent';
  since?: number;
  after?: TimeCursor;
  limit: number;
}

export interface DeliveryPageQuery {
  destinationId?: string;
  state?: DeliveryState;
  /** Scheduled deliveries that already failed in their current budget. */
  retrying?: boolean;
  after?: TimeCursor;
  limit: number;
}

export interface AuditPageQuery {
  actor?: string;
  action?: string;
  since?: number;
  until?: number;
  beforeSeq?: number;
  limit: number;
}

export interface QuarantineGroup {
  sourceId: string;
  reasons: Array<{ field: string; message: string }>;
  count: number;
  lastAt: number;
  sampleEventId: string;
}

export interface ApiTokenRecord {
  id: string;
  tenant: string;
  name: string;
  tokenSha256: string;
  createdBy: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** A row-value comparison: both engines seek the index range to it (an `a < ? OR (a = ? AND id < ?)` form is scanned). */
const KEYSET_DESC = (column: string) => `(${column}, id) < (?, ?)`;

function toToken(row: Record<string, unknown>): ApiTokenRecord {
  return {
    id: String(row.id),
    tenant: String(row.tenant),
    name: String(row.name),
    tokenSha256: String(row.token_sha256),
    createdBy: String(row.created_by),
    createdAt: toNumber(row.created_at),
    revokedAt: toNumberOrNull(row.revoked_at),
    lastUsedAt: toNumberOrNull(row.last_used_at),
  };
}

/**
 * The console's reads: keyset pages on indexed columns (newest first; migration 008 adds the indexes that
 * make the id tie-break part of the index), grouped views, and the API tokens it issues.
 */
export class ConsoleRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Every tenant the store knows of (from sources and destinations), for principals allowed all of them. */
  async tenants(): Promise<string[]> {
    const rows = await this.sql.all<{ tenant: string }>('SELECT tenant FROM sources UNION SELECT tenant FROM destinations ORDER BY tenant');
    return rows.map((row) => String(row.tenant));
  }

  async eventPage(tenant: string, query: EventPageQuery): Promise<EventRecord[]> {
    const where = ['tenant = ?', 'state = ?'];
    const params: SqlValue[] = [tenant, query.state];
    if (query.sourceId) (where.push('source_id = ?'), params.push(query.sourceId));
    if (query.after) (where.push(KEYSET_DESC('received_at')), params.push(query.after.at, query.after.id));
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY received_at DESC, id DESC LIMIT ?`,
      [...params, query.limit],
    );
    return rows.map(toEvent);
  }

  /** Ids of events in a state matching a filter, newest first, for a bulk decision. */
  async eventIds(tenant: string, state: EventState, filter: { sourceId?: string; titleContains?: string; before?: number }, limit: number): Promise<string[]> {
    const where = ['tenant = ?', 'state = ?'];
    const params: SqlValue[] = [tenant, state];
    if (filter.sourceId) (where.push('source_id = ?'), params.push(filter.sourceId));
    if (filter.before !== undefined) (where.push('received_at <= ?'), params.push(filter.before));
    const rows = await this.sql.all<{ id: string; candidate: unknown }>(
      `SELECT id, candidate FROM events WHERE ${where.join(' AND ')} ORDER BY received_at DESC, id DESC LIMIT ?`,
      [...params, filter.titleContains ? limit * 20 : limit],
    );
    const needle = filter.titleContains?.toLowerCase();
    const matching = needle ? rows.filter((row) => String((row.candidate === null ? {} : fromJson<{ title?: unknown }>(row.candidate)).title ?? '').toLowerCase().includes(needle)) : rows;
    return matching.slice(0, limit).map((row) => String(row.id));
  }

  /** How many events are in a state, counted up to `cap` (a page shows "10000+" rather than walking 100k index entries). */
  async countInState(tenant: string, state: EventState, sourceId: string | undefined, cap: number): Promise<number> {
    const bySource = sourceId ? ' AND source_id = ?' : '';
    const row = await this.sql.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM events WHERE tenant = ? AND state = ?${bySource} LIMIT ?) AS capped`, [
      tenant,
      state,
      ...(sourceId ? [sourceId] : []),
      cap,
    ]);
    return toNumber(row?.n ?? 0);
  }

  /** Quarantined events grouped by source and by their exact list of reasons, largest group first. */
  async quarantineGroups(tenant: string, limit: number): Promise<QuarantineGroup[]> {
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT source_id, reasons, COUNT(*) AS n, MAX(received_at) AS last_at, MAX(id) AS sample
       FROM events WHERE tenant = ? AND state = 'quarantined' GROUP BY source_id, reasons ORDER BY n DESC, source_id LIMIT ?`,
      [tenant, limit],
    );
    return rows.map((row) => ({
      sourceId: String(row.source_id),
      reasons: fromJson(row.reasons),
      count: toNumber(row.n),
      lastAt: toNumber(row.last_at),
      sampleEventId: String(row.sample),
    }));
  }

  /** Events per hour and state of one source since a time. */
  async hourlyEventCounts(tenant: string, sourceId: string, since: number): Promise<Array<{ hour: number; state: string; count: number }>> {
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT (received_at - ?) / 3600000 AS hour, state, COUNT(*) AS n FROM events
       WHERE tenant = ? AND source_id = ? AND received_at >= ? GROUP BY 1, 2`,
      [since, tenant, sourceId, since],
    );
    return rows.map((row) => ({ hour: Math.floor(toNumber(row.hour)), state: String(row.state), count: toNumber(row.n) }));
  }

  /** Authenticated requests the intake refused (budget, disabled source, bad body) per hour since a time. */
  async hourlyRefusals(tenant: string, sourceId: string, since: number): Promise<Array<{ hour: number; count: number }>> {
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT (received_at - ?) / 3600000 AS hour, COUNT(*) AS n FROM receipts
       WHERE tenant = ? AND source_id = ? AND received_at >= ? AND http_status >= 400 GROUP BY 1`,
      [since, tenant, sourceId, since],
    );
    return rows.map((row) => ({ hour: Math.floor(toNumber(row.hour)), count: toNumber(row.n) }));
  }

  /** The newest request bodies of a source, as samples for the mapping workbench. */
  async recentBodies(tenant: string, sourceId: string, limit: number): Promise<Array<{ receiptId: string; receivedAt: number; body: Buffer }>> {
    const rows = await this.sql.all<{ id: string; received_at: unknown; body: Uint8Array | null }>(
      'SELECT id, received_at, body FROM receipts WHERE tenant = ? AND source_id = ? AND body IS NOT NULL ORDER BY received_at DESC LIMIT ?',
      [tenant, sourceId, limit],
    );
    return rows.map((row) => ({ receiptId: String(row.id), receivedAt: toNumber(row.received_at), body: Buffer.from(row.body!) }));
  }

  async incidentPage(tenant: string, query: IncidentPageQuery): Promise<IncidentRecord[]> {
    const where = ['tenant = ?'];
    const params: SqlValue[] = [tenant];
    if (query.view === 'active') where.push("status <> 'resolved'");
    else (where.push('updated_at >= ?'), params.push(query.since ?? 0));
    if (query.after) (where.push(KEYSET_DESC('updated_at')), params.push(query.after.at, query.after.id));
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT * FROM incidents WHERE ${where.join(' AND ')} ORDER BY updated_at DESC, id DESC LIMIT ?`,
      [...params, query.limit],
    );
    return rows.map(toIncident);
  }

  async evidenceCounts(tenant: string, incidentIds: readonly string[]): Promise<Map<string, number>> {
    if (incidentIds.length === 0) return new Map();
    const rows = await this.sql.all<{ incident_id: string; n: unknown }>(
      `SELECT incident_id, COUNT(*) AS n FROM evidence WHERE tenant = ? AND incident_id IN (${incidentIds.map(() => '?').join(', ')}) GROUP BY incident_id`,
      [tenant, ...incidentIds],
    );
    return new Map(rows.map((row) => [String(row.incident_id), toNumber(row.n)]));
  }

  async deliveryPage(tenant: string, query: DeliveryPageQuery): Promise<DeliveryRecord[]> {
    const where = ['tenant = ?'];
    const params: SqlValue[] = [tenant];
    if (query.destinationId) (where.push('destination_id = ?'), params.push(query.destinationId));
    if (query.state) (where.push('state = ?'), params.push(query.state));
    if (query.retrying) where.push("state = 'scheduled' AND attempts > 0");
    if (query.after) (where.push(KEYSET_DESC('created_at')), params.push(query.after.at, query.after.id));
    const rows = await this.sql.all<DeliveryRow>(`SELECT * FROM deliveries WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`, [...params, query.limit]);
    return rows.map(toDelivery);
  }

  async countDeadLetters(tenant: string, destinationId: string, filter: { lastStatus?: number; since?: number }): Promise<number> {
    const where = ['tenant = ?', 'destination_id = ?', "state = 'dead_letter'"];
    const params: SqlValue[] = [tenant, destinationId];
    if (filter.lastStatus !== undefined) (where.push('last_status = ?'), params.push(filter.lastStatus));
    if (filter.since !== undefined) (where.push('dead_lettered_at >= ?'), params.push(filter.since));
    const row = await this.sql.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM deliveries WHERE ${where.join(' AND ')}`, params);
    return toNumber(row?.n ?? 0);
  }

  async auditPage(tenant: string, query: AuditPageQuery): Promise<AuditEntry[]> {
    const where = ['tenant = ?'];
    const params: SqlValue[] = [tenant];
    if (query.actor) (where.push('actor = ?'), params.push(query.actor));
    if (query.action) (where.push('action = ?'), params.push(query.action));
    if (query.since !== undefined) (where.push('at >= ?'), params.push(query.since));
    if (query.until !== undefined) (where.push('at < ?'), params.push(query.until));
    if (query.beforeSeq !== undefined) (where.push('seq < ?'), params.push(query.beforeSeq));
    const rows = await this.sql.all<Record<string, unknown>>(`SELECT * FROM audit WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`, [...params, query.limit]);
    return rows.map(toEntry);
  }

  async insertApiToken(token: ApiTokenRecord): Promise<void> {
    await this.sql.run(
      'INSERT INTO console_api_tokens (id, tenant, name, token_sha256, created_by, created_at, revoked_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)',
      [token.id, token.tenant, token.name, token.tokenSha256, token.createdBy, token.createdAt],
    );
  }

  async apiToken(id: string): Promise<ApiTokenRecord | undefined> {
    const row = await this.sql.get<Record<string, unknown>>('SELECT * FROM console_api_tokens WHERE id = ?', [id]);
    return row ? toToken(row) : undefined;
  }

  async apiTokens(tenant: string): Promise<ApiTokenRecord[]> {
    const rows = await this.sql.all<Record<string, unknown>>('SELECT * FROM console_api_tokens WHERE tenant = ? ORDER BY created_at DESC, id', [tenant]);
    return rows.map(toToken);
  }

  async revokeApiToken(tenant: string, id: string, now: number): Promise<boolean> {
    const result = await this.sql.run('UPDATE console_api_tokens SET revoked_at = ? WHERE tenant = ? AND id = ? AND revoked_at IS NULL', [now, tenant, id]);
    return result.changes === 1;
  }

  /** Records use at most once a minute per token, so a polling dashboard does not write on every request. */
  async touchApiToken(id: string, now: number): Promise<void> {
    await this.sql.run('UPDATE console_api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)', [now, id, now - 60_000]);
  }
}
