import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../core/store/sqlite/sqlite-database';
import { StoreUnavailableError } from '../../core/store/store-errors';

const dir = mkdtempSync(join(tmpdir(), 'intake-commit-queue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

async function database(): Promise<{ db: SqliteDatabase; path: string }> {
  const path = join(dir, `queue-${files++}.db`);
  const db = new SqliteDatabase({ path, busyTimeoutMs: 50 });
  await db.transaction((c) => c.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)'));
  return { db, path };
}

/** Commits as SQLite counts them: the WAL gets one commit frame per transaction. */
function totalChanges(path: string): number {
  const reader = new DatabaseSync(path);
  const count = Number((reader.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n);
  reader.close();
  return count;
}

describe('SQLite group commit', () => {
  it('runs units of work asked for together in one transaction, each isolated by its own savepoint', async () => {
    const { db, path } = await database();
    let visibleOutsideDuringSecond = -1;
    const results = await Promise.allSettled([
      db.transaction((c) => c.run('INSERT INTO t (v) VALUES (?)', ['a'])),
      db.transaction(async (c) => {
        // The first unit has run but is not committed yet: it shares this unit's transaction.
        visibleOutsideDuringSecond = totalChanges(path);
        await c.run('INSERT INTO t (v) VALUES (?)', ['b']);
        throw new Error('second unit fails after writing');
      }),
      db.transaction((c) => c.run('INSERT INTO t (v) VALUES (?)', ['a'])),
      db.transaction(async (c) => (await c.all<{ v: string }>('SELECT v FROM t ORDER BY v')).map((row) => row.v)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('second unit fails after writing');
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    // The fourth unit saw the first's write but neither of the failed units' writes.
    expect((results[3] as PromiseFulfilledResult<string[]>).value).toEqual(['a']);
    expect(visibleOutsideDuringSecond).toBe(0);
    expect(totalChanges(path)).toBe(1);
    await db.close();
  });

  it('answers a caller only after the commit: its write is visible to another connection by then', async () => {
    const { db, path } = await database();
    const writes = Array.from({ length: 100 }, (_, i) =>
      db.transaction((c) => c.run('INSERT INTO t (v) VALUES (?)', [`v${i}`])).then(() => totalChanges(path)),
    );
    const seen = await Promise.all(writes);
    seen.forEach((count, i) => expect(count).toBeGreaterThanOrEqual(i + 1));
    expect(totalChanges(path)).toBe(100);
    await db.close();
  });

  it('refuses every unit of a batch as "store unavailable" when another process holds the write lock', async () => {
    const { db, path } = await database();
    const holder = new DatabaseSync(path);
    holder.exec('BEGIN IMMEDIATE');
    const results = await Promise.allSettled([1, 2, 3].map((i) => db.transaction((c) => c.run('INSERT INTO t (v) VALUES (?)', [`x${i}`]))));
    holder.exec('ROLLBACK');
    holder.close();
    for (const result of results) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    // The queue keeps working afterwards.
    await db.transaction((c) => c.run('INSERT INTO t (v) VALUES (?)', ['after']));
    expect(totalChanges(path)).toBe(1);
    await db.close();
  });

  it('finishes queued work before closing and refuses work asked for after', async () => {
    const { db, path } = await database();
    const queued = db.transaction((c) => c.run('INSERT INTO t (v) VALUES (?)', ['queued']));
    await db.close();
    await expect(queued).resolves.toEqual({ changes: 1 });
    await expect(db.transaction((c) => c.run('INSERT INTO t (v) VALUES (?)', ['late']))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(totalChanges(path)).toBe(1);
  });
});
