import type { RateState } from '../delivery-records';
import type { SqlClient } from '../sql-client';
import { toNumber } from './row-values';

/**
 * Token buckets by key, one row each. `lock` holds the row for the rest of the transaction (PostgreSQL: a row
 * lock; SQLite: its single writer), so destinations and processes drawing from one bucket do so one at a time.
 */
export class RateBucketRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The bucket's state, locked until the transaction ends; `null` for a bucket never drawn from (it starts full). */
  async lock(bucket: string, now: number): Promise<RateState | null> {
    // The row exists before it is locked, so two first draws cannot both see a full bucket.
    await this.sql.run('INSERT INTO rate_buckets (bucket, tokens, refilled_at, updated_at) VALUES (?, NULL, NULL, ?) ON CONFLICT (bucket) DO NOTHING', [bucket, now]);
    const forUpdate = this.sql.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const row = await this.sql.get<{ tokens: unknown; refilled_at: unknown }>(`SELECT tokens, refilled_at FROM rate_buckets WHERE bucket = ?${forUpdate}`, [bucket]);
    if (!row || row.tokens === null || row.tokens === undefined) return null;
    return { tokens: Number(row.tokens), refilledAt: toNumber(row.refilled_at) };
  }

  async save(bucket: string, state: RateState, now: number): Promise<void> {
    await this.sql.run('UPDATE rate_buckets SET tokens = ?, refilled_at = ?, updated_at = ? WHERE bucket = ?', [state.tokens, state.refilledAt, now, bucket]);
  }

  async get(bucket: string): Promise<RateState | null> {
    const row = await this.sql.get<{ tokens: unknown; refilled_at: unknown }>('SELECT tokens, refilled_at FROM rate_buckets WHERE bucket = ?', [bucket]);
    if (!row || row.tokens === null || row.tokens === undefined) return null;
    return { tokens: Number(row.tokens), refilledAt: toNumber(row.refilled_at) };
  }
}
