import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStoreFromOptions } from '../../cli/store-option';

describe('the CLI --store option', () => {
  it('says why a store URL is refused without repeating its password', async () => {
    // A pasted base64 password with an unencoded `/`, under a mistyped scheme: the store's own error repeats the URL.
    const url = 'postgresql+pg://intake:Zk4/s3cret+Pw9q@127.0.0.1:1/intake';
    const failure = await openStoreFromOptions({ store: url }, {}).then(() => undefined, (error: Error) => error);
    expect(failure?.message).toMatch(/^unsupported store URL \[redacted\]: use postgres:\/\//);
    expect(failure?.message).not.toContain('s3cret');
    const fromEnv = await openStoreFromOptions({ 'store-env': 'INTAKE_STORE' }, { INTAKE_STORE: url }).then(() => undefined, (error: Error) => error);
    expect(fromEnv?.message).not.toContain('s3cret');
  });

  it('names the SQLite file it cannot open', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-store-option-'));
    try {
      const file = join(dir, 'not-a-directory');
      await writeFile(file, '');
      await expect(openStoreFromOptions({ store: join(file, 'intake.sqlite') }, {})).rejects.toThrow(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
