import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store';

const dir = mkdtempSync(join(tmpdir(), 'intake-open-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** PostgreSQL URLs are covered in postgres-store.test.ts, against a real server. */
describe('openStore', () => {
  it.each([':memory:', 'sqlite::memory:', join(dir, 'plain.db'), `sqlite:${join(dir, 'prefixed.db')}`, `sqlite://${join(dir, 'url.db')}`])(
    'opens SQLite for %s',
    async (url) => {
      const store = await openStore(url);
      try {
        expect(store.dialect).toBe('sqlite');
        expect(await store.transaction((r) => r.counters.incrementWithin('t1', 'x', 0, 5))).toBe(1);
      } finally {
        await store.close();
      }
    },
  );

  it('rejects other URL schemes without echoing credentials', async () => {
    await expect(openStore('mysql://root:hunter2@localhost/db')).rejects.toThrow(/unsupported store URL mysql:\/\/…@localhost\/db/);
  });

  it('rejects a sqlite: URL that names no file', async () => {
    await expect(openStore('sqlite:')).rejects.toThrow(/names no file/);
  });
});
