import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../core/store';
import { describeStoreContract } from './store-contract';

const dir = mkdtempSync(join(tmpdir(), 'intake-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract('SQLite :memory:', () => openSqliteStore(':memory:'));
let fileCount = 0;
describeStoreContract('SQLite file (WAL)', () => openSqliteStore(join(dir, `store-${fileCount++}.db`)));

describe('SQLite migrations', () => {
  it('are idempotent across reopenings of the same file', async () => {
    const path = join(dir, 'reopen.db');
    const first = await openSqliteStore(path);
    await first.transaction((r) => r.sources.ensure('t', 's', 'jira', 'J', 1));
    await first.close();
    const second = await openSqliteStore(path);
    expect(await second.transaction((r) => r.sources.get('t', 's'))).toMatchObject({ provider: 'jira' });
    await second.close();
  });
});
