import { replayKeyHash } from '../replay-key-hash';
import type { SqlClient, SqlRead } from '../sql-client';
import { toNumber } from './row-values';

/** What is remembered of a request that was stored: when, and the status it was answered with. */
export interface ReplayKeyMatch {
  /** Which of the keys asked for was found. */
  key: string;
  seenAt: number;
  httpStatus: number;
}

/**
 * One key of a request. Short-lived keys are needed only for days: the key of a timestamped scheme (past the
 * tolerance the timestamp check refuses a replay) and a delivery id (senders retry for hours or days; an old
 * capture still matches its content key). The content key of a scheme without a timestamp is long-lived.
 */
export interface ReplayKeyEntry {
  key: string;
  shortLived: boolean;
}

export interface RememberedRequest {
  seenAt: number;
  httpStatus: number;
}

export interface ReplayKeyExpiry {
  /** Long-lived keys seen before this are removed. */
  longLivedBefore: number;
  /** Short-lived keys seen before this are removed. */
  shortLivedBefore: number;
  limit: number;
}

/**
 * Replay keys, kept apart from the receipts (and far longer): a 16-byte digest per key, the time it was
 * seen, whether it is short-lived and the first answer's status. A receipt's cleanup never touches them; only {@link deleteExpired} does.
 */
export class ReplayKeyRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The earliest remembered request carrying any of these keys. */
  async find(tenant: string, sourceId: string, keys: readonly string[]): Promise<ReplayKeyMatch | undefined> {
    if (keys.length === 0) return undefined;
    const read = this.findRead(tenant, sourceId, keys);
    return read.parse(await this.sql.all(read.sql, read.params));
  }

  /** {@link find} as a read to send with others (`keys` not empty). */
  findRead(tenant: string, sourceId: string, keys: readonly string[]): SqlRead<ReplayKeyMatch | undefined> {
    const hashes = keys.map((key) => replayKeyHash(tenant, sourceId, key));
    return {
      sql: `SELECT key_hash, seen_at, http_status FROM replay_keys WHERE key_hash IN (${hashes.map(() => '?').join(', ')}) ORDER BY seen_at LIMIT 1`,
      params: hashes,
      parse: ([row]) => {
        if (!row) return undefined;
        const found = Buffer.from(row.key_hash as Uint8Array);
        const key = keys[hashes.findIndex((hash) => hash.equals(found))] ?? keys[0]!;
        return { key, seenAt: toNumber(row.seen_at), httpStatus: toNumber(row.http_status) };
      },
    };
  }

  /** Records the keys of a stored request; a key already known keeps its first time and answer. */
  async remember(tenant: string, sourceId: string, keys: readonly ReplayKeyEntry[], request: RememberedRequest): Promise<void> {
    for (const { key, shortLived } of keys) {
      await this.sql.queue(
        `INSERT INTO replay_keys (key_hash, tenant, source_id, seen_at, short_lived, http_status) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (key_hash) DO NOTHING`,
        [replayKeyHash(tenant, sourceId, key), tenant, sourceId, request.seenAt, shortLived ? 1 : 0, request.httpStatus],
      );
    }
  }

  /** Removes up to `limit` expired keys of one tenant; returns how many went. */
  async deleteExpired(tenant: string, expiry: ReplayKeyExpiry): Promise<number> {
    let removed = 0;
    for (const [shortLived, before] of [[0, expiry.longLivedBefore], [1, expiry.shortLivedBefore]] as const) {
      if (removed >= expiry.limit) break;
      const result = await this.sql.run(
        `DELETE FROM replay_keys WHERE key_hash IN (
           SELECT key_hash FROM replay_keys WHERE tenant = ? AND short_lived = ? AND seen_at < ? LIMIT ?)`,
        [tenant, shortLived, before, expiry.limit - removed],
      );
      removed += result.changes;
    }
    return removed;
  }

  async count(tenant: string): Promise<number> {
    const row = await this.sql.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM replay_keys WHERE tenant = ?', [tenant]);
    return toNumber(row?.n ?? 0);
  }
}
