import type { SqlClient, SqlRead } from '../sql-client';
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
    lastSecretLabel: (row.last_secret_label as string | null | undefined) ?? null,
    lastSecretAt: toNumberOrNull(row.last_secret_at),
    secretRotatedAt: toNumberOrNull(row.secret_rotated_at),
    secretGraceEndsAt: toNumberOrNull(row.secret_grace_ends_at),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}

export class SourceRepository {
  constructor(private readonly sql: SqlClient) {}

  async get(tenant: string, id: string): Promise<SourceRecord | undefined> {
    const read = this.getRead(tenant, id);
    return read.parse(await this.sql.all(read.sql, read.params));
  }

  /** {@link get} as a read to send with others. */
  getRead(tenant: string, id: string): SqlRead<SourceRecord | undefined> {
    return { sql: 'SELECT * FROM sources WHERE tenant = ? AND id = ?', params: [tenant, id], parse: ([row]) => (row ? toSource(row) : undefined) };
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
  async ensure(tenant: string, id: string, provider: string, name: string, now: number, known?: { record: SourceRecord | undefined }): Promise<SourceRecord> {
    // `known`: the row as this unit of work already read it.
    const existing = known ? known.record : await this.get(tenant, id);
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
    await this.sql.queue('UPDATE sources SET last_error = ?, last_error_at = ?, updated_at = ? WHERE tenant = ? AND id = ?', [error, now, now, tenant, id]);
  }

  /** Which secret (by name) the latest accepted request was signed with, and when. */
  async noteSecretUsed(tenant: string, id: string, label: string, now: number): Promise<void> {
    await this.sql.queue('UPDATE sources SET last_secret_label = ?, last_secret_at = ? WHERE tenant = ? AND id = ?', [label, now, tenant, id]);
  }

  /** A rotation at `now`; `graceEndsAt` is when the replaced secrets stop (null: they stopped at once). */
  async recordRotation(tenant: string, id: string, now: number, graceEndsAt: number | null): Promise<void> {
    await this.sql.run('UPDATE sources SET secret_rotated_at = ?, secret_grace_ends_at = ?, updated_at = ? WHERE tenant = ? AND id = ?', [now, graceEndsAt, now, tenant, id]);
  }

  /**
   * Clears a grace end that has been reached, so its end is audited once: false when another request (or
   * process) cleared or changed it first.
   */
  async closeGrace(tenant: string, id: string, graceEndsAt: number): Promise<boolean> {
    const result = await this.sql.run('UPDATE sources SET secret_grace_ends_at = NULL WHERE tenant = ? AND id = ? AND secret_grace_ends_at = ?', [tenant, id, graceEndsAt]);
    return result.changes === 1;
  }

  /** The source's secrets sealed by the host (see core/sources/source-secret-vault.ts), or undefined. */
  async getSealedSecrets(tenant: string, id: string): Promise<{ keyId: string; box: string } | undefined> {
    const row = await this.sql.get<SourceRow>('SELECT sealed_secrets, sealed_secrets_key_id FROM sources WHERE tenant = ? AND id = ?', [tenant, id]);
    if (!row || row.sealed_secrets === null || row.sealed_secrets === undefined) return undefined;
    return { keyId: String(row.sealed_secrets_key_id), box: String(row.sealed_secrets) };
  }

  async saveSealedSecrets(tenant: string, id: string, sealed: { keyId: string; box: string } | null, now: number): Promise<void> {
    await this.sql.run('UPDATE sources SET sealed_secrets = ?, sealed_secrets_key_id = ?, updated_at = ? WHERE tenant = ? AND id = ?', [sealed?.box ?? null, sealed?.keyId ?? null, now, tenant, id]);
  }

  async markTestPassed(tenant: string, id: string, now: number): Promise<void> {
    await this.sql.run('UPDATE sources SET test_passed_at = ?, updated_at = ? WHERE tenant = ? AND id = ?', [now, now, tenant, id]);
  }
}
