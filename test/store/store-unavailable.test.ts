import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDatabase, StoreUnavailableError } from '../../core/store';

const dir = mkdtempSync(join(tmpdir(), 'intake-unavailable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** PostgreSQL's side (server down, connection lost) is in postgres-store.test.ts. */
describe('StoreUnavailableError from SQLite', () => {
  it('is raised when another connection holds the write lock past the busy timeout', async () => {
    const path = join(dir, 'busy.db');
    const holder = new SqliteDatabase({ path });
    const waiter = new SqliteDatabase({ path, busyTimeoutMs: 20 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = holder.transaction(async (sql) => {
      await sql.exec('CREATE TABLE IF NOT EXISTS t (x INTEGER)');
      await held;
    });
    await expect(waiter.transaction((sql) => sql.run('INSERT INTO t VALUES (1)'))).rejects.toBeInstanceOf(StoreUnavailableError);
    release();
    await holding;
    expect(await waiter.transaction((sql) => sql.run('INSERT INTO t VALUES (1)'))).toEqual({ changes: 1 });
    await Promise.all([holder.close(), waiter.close()]);
  });
});
