import type { SqlClient } from '../sql-client';
import type { DestinationRecord, SealedDestinationRecord } from '../delivery-records';
import { fromFlag, fromJson, toJson, toNumber, toNumberOrNull } from './row-values';

type DestinationRow = Record<string, unknown>;

function toSealed(row: DestinationRow): SealedDestinationRecord {
  return { tenant: String(row.tenant), id: String(row.id), keyId: String(row.sealed_key_id), box: String(row.sealed_config), sealedAt: toNumber(row.sealed_at) };
}

function toDestination(row: DestinationRow): DestinationRecord {
  return {
    tenant: String(row.tenant),
    id: String(row.id),
    kind: String(row.kind),
    enabled: fromFlag(row.enabled),
    disabledReason: (row.disabled_reason as string | null) ?? null,
    disabledAt: toNumberOrNull(row.disabled_at),
    pausedUntil: toNumberOrNull(row.paused_until),
    lastResult: row.last_result === null || row.last_result === undefined ? null : fromJson(row.last_result),
    lastResultAt: toNumberOrNull(row.last_result_at),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}

/**
 * The non-secret state of delivery destinations: enabled or disabled (and why), back-off pauses, last result
 * (rate buckets are rows of their own, shared by destinations); and, when the host seals them, their configs as ciphertext.
 */
export class DestinationRepository {
  constructor(private readonly sql: SqlClient) {}

  async get(tenant: string, id: string): Promise<DestinationRecord | undefined> {
    const row = await this.sql.get<DestinationRow>('SELECT * FROM destinations WHERE tenant = ? AND id = ?', [tenant, id]);
    return row ? toDestination(row) : undefined;
  }

  async list(tenant: string): Promise<DestinationRecord[]> {
    const rows = await this.sql.all<DestinationRow>('SELECT * FROM destinations WHERE tenant = ? ORDER BY id', [tenant]);
    return rows.map(toDestination);
  }

  /**
   * Registers a destination the first time it is seen (enabled); later calls only refresh its kind. Leaves an
   * unchanged row unlocked (PostgreSQL's ON CONFLICT DO UPDATE locks the row even when its WHERE is false):
   * every enqueue calls this, and a lock held from here to commit deadlocks with a worker recording an attempt
   * of a delivery the enqueue then waits for.
   */
  async ensure(tenant: string, id: string, kind: string, now: number): Promise<DestinationRecord> {
    await this.sql.run(
      `INSERT INTO destinations (tenant, id, kind, enabled, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)
       ON CONFLICT (tenant, id) DO NOTHING`,
      [tenant, id, kind, now, now],
    );
    await this.sql.run('UPDATE destinations SET kind = ?, updated_at = ? WHERE tenant = ? AND id = ? AND kind <> ?', [kind, now, tenant, id, kind]);
    return (await this.get(tenant, id))!;
  }

  /**
   * Takes the destination's claim lock for the rest of the transaction, so that its workers claim one at a
   * time, and returns its current state.
   */
  async lockForClaim(tenant: string, id: string): Promise<{ destination: DestinationRecord } | undefined> {
    await this.sql.lock(`delivery-destination:${tenant}:${id}`);
    const row = await this.sql.get<DestinationRow>('SELECT * FROM destinations WHERE tenant = ? AND id = ?', [tenant, id]);
    return row ? { destination: toDestination(row) } : undefined;
  }

  /** Disables an enabled destination. Returns false when it was already disabled (the first reason is kept). */
  async disable(tenant: string, id: string, reason: string, now: number): Promise<boolean> {
    const result = await this.sql.run(
      'UPDATE destinations SET enabled = 0, disabled_reason = ?, disabled_at = ?, updated_at = ? WHERE tenant = ? AND id = ? AND enabled = 1',
      [reason, now, now, tenant, id],
    );
    return result.changes === 1;
  }

  async enable(tenant: string, id: string, now: number): Promise<boolean> {
    const result = await this.sql.run(
      'UPDATE destinations SET enabled = 1, disabled_reason = NULL, disabled_at = NULL, paused_until = NULL, updated_at = ? WHERE tenant = ? AND id = ? AND enabled = 0',
      [now, tenant, id],
    );
    return result.changes === 1;
  }

  /** Holds back every delivery to the destination until `until`; an earlier pause never shortens a later one. */
  async pauseUntil(tenant: string, id: string, until: number, now: number): Promise<void> {
    await this.sql.run(
      `UPDATE destinations SET paused_until = ?, updated_at = ? WHERE tenant = ? AND id = ? AND (paused_until IS NULL OR paused_until < ?)`,
      [until, now, tenant, id, until],
    );
  }

  /** Keeps a sealed config with the destination (which must exist), replacing any earlier one. */
  async saveSealed(tenant: string, id: string, sealed: { keyId: string; box: string }, now: number): Promise<void> {
    await this.sql.run('UPDATE destinations SET sealed_config = ?, sealed_key_id = ?, sealed_at = ? WHERE tenant = ? AND id = ?', [sealed.box, sealed.keyId, now, tenant, id]);
  }

  async getSealed(tenant: string, id: string): Promise<SealedDestinationRecord | undefined> {
    const row = await this.sql.get<DestinationRow>('SELECT tenant, id, sealed_config, sealed_key_id, sealed_at FROM destinations WHERE tenant = ? AND id = ? AND sealed_config IS NOT NULL', [tenant, id]);
    return row ? toSealed(row) : undefined;
  }

  /** Every sealed config, of one tenant or of all. */
  async listSealed(tenant?: string): Promise<SealedDestinationRecord[]> {
    const columns = 'SELECT tenant, id, sealed_config, sealed_key_id, sealed_at FROM destinations WHERE sealed_config IS NOT NULL';
    const rows = tenant === undefined ? await this.sql.all<DestinationRow>(`${columns} ORDER BY tenant, id`) : await this.sql.all<DestinationRow>(`${columns} AND tenant = ? ORDER BY id`, [tenant]);
    return rows.map(toSealed);
  }

  async recordResult(tenant: string, id: string, result: Record<string, unknown>, now: number): Promise<void> {
    await this.sql.run('UPDATE destinations SET last_result = ?, last_result_at = ?, updated_at = ? WHERE tenant = ? AND id = ?', [
      toJson(result),
      now,
      now,
      tenant,
      id,
    ]);
  }
}
