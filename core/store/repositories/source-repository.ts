import type { SqlClient } from '../sql-client';
import type { SourceRecord } from '../records';
import { fromFlag, toNumber, toNumberOrNull } from './row-values';

type SourceRow = Record<string, unknown>;

export function toSource(row: SourceRow): SourceRecord {
  return {
    tenant: String(row.tenant),
    id: String(row.id),
    provider: String(row.provider),
    name: String(row.name),
    enabled: fromFlag(row.enabled),
    disabledReason: (row.disabled_reason as string | null) ?? null,
    disabledAt: toNumberOrNull(row.disabled_at),
    lastError: (row.last_error as string | null) ?? null,
    lastErrorAt: toNumberOrNull(row.last_error_at),
    testPassedAt: toNumberOrNull(row.test_passed_at),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}

export class SourceRepository {
  constructor(private readonly sql: SqlClient) {}

  async get(tenant: string, id: string): Promise<SourceRecord | undefined> {
    const row = await this.sql.get<SourceRow>('SELECT * FROM sources WHERE tenant = ? AND id = ?', [tenant, id]);
    return row ? toSource(row) : undefined;
  }

  async list(tenant: string): Promise<SourceRecord[]> {
    const rows = await this.sql.all<SourceRow>('SELECT * FROM sources WHERE tenant = ? ORDER BY id', [tenant]);
    return rows.map(toSource);
  }

  /**
   * Registers a source the first time it is seen; later calls only refresh provider and name. Returns it.
   * Reads first and writes only when something is missing or changed: an upsert would lock the row on every
   * request in PostgreSQL even when nothing changes.
   */
  async ensure(tenant: string, id: string, provider: string, name: string, now: number): Promise<SourceRecord> {
    const existing = await this.get(tenant, id);
    if (existing && existing.provider === provider && existing.name === name) return existing;
    await this.sql.run(
      `INSERT INTO sources (tenant, id, provider, name, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)
       ON CONFLICT (tenant, id) DO UPDATE SET provider = excluded.provider, name = excluded.name
       WHERE sources.provider <> excluded.provider OR sources.name <> excluded.name`,
      [tenant, id, provider, name, now, now],
    );
    return (await this.get(tenant, id))!;
  }

  /** Disables an enabled source. Returns false when it was already disabled (the first reason is kept). */
  async disable(tenant: string, id: string, reason: string, now: number): Promise<boolean> {
    const result = await this.sql.run(
      'UPDATE sources SET enabled = 0, disabled_reason = ?, disabled_at = ?, updated_at = ? WHERE tenant = ? AND id = ? AND enabled = 1',
      [reason, now, now, tenant, id],
    );
    return result.changes === 1;
  }

  async enable(tenant: string, id: string, now: number): Promise<boolean> {
    const result = await this.sql.run(
      'UPDATE sources SET enabled = 1, disabled_reason = NULL, disabled_at = NULL, updated_at = ? WHERE tenant = ? AND id = ? AND enabled = 0',
      [now, tenant, id],
    );
    return result.changes === 1;
  }

  async recordError(tenant: string, id: string, error: string, now: number): Promise<void> {
    await this.sql.run('UPDATE sources SET last_error = ?, last_error_at = ?, updated_at = ? WHERE tenant = ? AND id = ?', [error, now, now, tenant, id]);
  }

  async markTestPassed(tenant: string, id: string, now: number): Promise<void> {
    await this.sql.run('UPDATE sources SET test_passed_at = ?, updated_at = ? WHERE tenant = ? AND id = ?', [now, now, tenant, id]);
  }
}
