import { createHash } from 'node:crypto';
import type { SqlClient, SqlRead } from '../sql-client';
import type { AuditEntry } from '../records';
import { fromJson, toJson, toNumber } from './row-values';

/** An entry as appended: the store adds its sequence number and the hash chain. */
export type AuditInput = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash' | 'details'> & { details?: Record<string, unknown> };

/** The `prevHash` of a tenant's first entry. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** The hash an entry carries: its predecessor's hash and its own fields, `details` as stored (JSON text). */
export function auditEntryHash(prevHash: string, input: AuditInput, details: string): string {
  return createHash('sha256')
    .update([prevHash, input.tenant, input.at, input.actor, input.action, input.subjectType, input.subjectId, details].join('\u001f'))
    .digest('hex');
}

export function toEntry(row: Record<string, unknown>): AuditEntry {
  return {
    seq: toNumber(row.seq),
    tenant: String(row.tenant),
    at: toNumber(row.at),
    actor: String(row.actor),
    action: String(row.action),
    subjectType: String(row.subject_type),
    subjectId: String(row.subject_id),
    details: fromJson(row.details),
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
}

/**
 * The append-only audit trail. The database refuses UPDATE and DELETE on it (triggers), and each entry
 * carries the hash of the previous one per tenant, so a row edited behind the database's back breaks
 * {@link AuditRepository.verifyChain}.
 */
const INSERT_ENTRY = 'INSERT INTO audit (tenant, at, actor, action, subject_type, subject_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
const TAIL = 'SELECT hash FROM audit WHERE tenant = ? ORDER BY seq DESC LIMIT 1';

export class AuditRepository {
  /**
   * The chain's last hash per tenant, once this unit of work holds the tenant's audit lock. Repositories
   * live for one unit of work, and nobody else can append while the lock is held, so further entries of the
   * same request (one per alert of a batch) skip the lock and the read.
   */
  private readonly tails = new Map<string, string>();

  constructor(private readonly sql: SqlClient) {}

  async append(input: AuditInput): Promise<AuditEntry> {
    const { prevHash, details, hash } = await this.link(input);
    const row = await this.sql.get<{ seq: unknown }>(`${INSERT_ENTRY} RETURNING seq`, [input.tenant, input.at, input.actor, input.action, input.subjectType, input.subjectId, details, prevHash, hash]);
    return { ...input, details: input.details ?? {}, seq: toNumber(row!.seq), prevHash, hash };
  }

  /** {@link append} for a caller that does not need the entry back: queued with the transaction's other writes. */
  async record(input: AuditInput): Promise<void> {
    const { prevHash, details, hash } = await this.link(input);
    await this.sql.queue(INSERT_ENTRY, [input.tenant, input.at, input.actor, input.action, input.subjectType, input.subjectId, details, prevHash, hash]);
  }

  /**
   * Takes the tenant's audit lock (with the next statement sent) and returns the read of its chain's tail, to
   * send with the unit of work's other first reads; once read, this unit of work's entries link to it.
   */
  async lockTailRead(tenant: string): Promise<SqlRead<string>> {
    await this.sql.queueLock(`audit:${tenant}`);
    return {
      sql: TAIL,
      params: [tenant],
      parse: ([row]) => {
        const hash = row ? String(row.hash) : AUDIT_GENESIS;
        this.tails.set(tenant, hash);
        return hash;
      },
    };
  }

  private async link(input: AuditInput): Promise<{ prevHash: string; details: string; hash: string }> {
    const prevHash = this.tails.get(input.tenant) ?? (await this.lockTail(input.tenant));
    const details = toJson(input.details ?? {});
    const hash = auditEntryHash(prevHash, input, details);
    this.tails.set(input.tenant, hash);
    return { prevHash, details, hash };
  }

  private async lockTail(tenant: string): Promise<string> {
    await this.sql.queueLock(`audit:${tenant}`);
    const last = await this.sql.get<{ hash: string }>(TAIL, [tenant]);
    return last?.hash ?? AUDIT_GENESIS;
  }

  async forSubject(tenant: string, subjectType: string, subjectId: string): Promise<AuditEntry[]> {
    const rows = await this.sql.all<Record<string, unknown>>(
      'SELECT * FROM audit WHERE tenant = ? AND subject_type = ? AND subject_id = ? ORDER BY seq',
      [tenant, subjectType, subjectId],
    );
    return rows.map(toEntry);
  }

  async list(tenant: string, limit = 100): Promise<AuditEntry[]> {
    const rows = await this.sql.all<Record<string, unknown>>('SELECT * FROM audit WHERE tenant = ? ORDER BY seq DESC LIMIT ?', [tenant, limit]);
    return rows.map(toEntry);
  }

  /** Entries after `afterSeq`, oldest first: a page of the trail for walking it without loading it whole. */
  async pageAfter(tenant: string, afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.sql.all<Record<string, unknown>>('SELECT * FROM audit WHERE tenant = ? AND seq > ? ORDER BY seq LIMIT ?', [tenant, afterSeq, limit]);
    return rows.map(toEntry);
  }

  /** Every tenant that has an audit trail. */
  async tenants(): Promise<string[]> {
    const rows = await this.sql.all<{ tenant: string }>('SELECT DISTINCT tenant FROM audit ORDER BY tenant');
    return rows.map((row) => String(row.tenant));
  }

  /** Recomputes the tenant's hash chain. Returns the seq of the first broken entry, or undefined when intact. */
  async verifyChain(tenant: string): Promise<number | undefined> {
    const rows = await this.sql.all<Record<string, unknown>>('SELECT * FROM audit WHERE tenant = ? ORDER BY seq', [tenant]);
    let prevHash = AUDIT_GENESIS;
    for (const row of rows) {
      const entry = toEntry(row);
      const expected = auditEntryHash(prevHash, entry, String(row.details));
      if (entry.prevHash !== prevHash || entry.hash !== expected) return entry.seq;
      prevHash = entry.hash;
    }
    return undefined;
  }
}
