import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { parseSourceConfig } from '../../core/intake/source-config';
import { generateStandardWebhookSecret } from '../../core/signing';
import { readSealedSecrets, reconcileSealedSecrets } from '../../core/sources/sealed-source-secrets';
import { registerSource } from '../../core/sources/source-admin';
import { SourceSecretVault } from '../../core/sources/source-secret-vault';
import { openSqliteStore } from '../../core/store';

let dir: string;
let file: string;
const key = randomBytes(32).toString('base64');
const [old, current] = [generateStandardWebhookSecret(), generateStandardWebhookSecret()];
const source = (secret: string) => parseSourceConfig({ id: 'pd-prod', tenant: 'acme', provider: 'pagerduty', auth: { scheme: 'standard-webhooks', secrets: [{ value: secret }] } });

async function cli(args: string[], env: NodeJS.ProcessEnv = { INTAKE_KEY: key }) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const code = await main(args, { stdin: new PassThrough(), stdout, stderr, env });
  return { code, stdout: out, stderr: err };
}

async function withStore<T>(work: (store: Awaited<ReturnType<typeof openSqliteStore>>) => Promise<T>): Promise<T> {
  const store = await openSqliteStore(file);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-rotate-'));
  file = join(dir, 'intake.sqlite');
  // What an n8n trigger does: the store keeps the secret the credential's Secret replaced, for 24 hours.
  await withStore(async (store) => {
    await registerSource(store, source(old));
    const vault = new SourceSecretVault([key]);
    await reconcileSealedSecrets(store, vault, source(old), { actor: 'n8n', graceSeconds: 86_400 });
    await reconcileSealedSecrets(store, vault, source(current), { actor: 'n8n', graceSeconds: 86_400 });
  });
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const live = () => withStore(async (store) => (await readSealedSecrets(store, new SourceSecretVault([key]), source(current)))!.map((entry) => entry.value));
const base = ['source', 'rotate', '--store', '', '--source', 'pd-prod', '--tenant', 'acme', '--key-env', 'INTAKE_KEY', '--actor', 'oncall'];
const args = (...extra: string[]) => [...base.map((value) => (value === '' ? file : value)), ...extra];

describe('incident-intake source rotate', () => {
  it('--revoke refuses the replaced secret from now on, audited with the actor; prints no secret', async () => {
    expect(await live()).toEqual([current, old]);
    const run = await cli(args('--revoke'));
    expect(run).toMatchObject({ code: 0, stdout: 'Source pd-prod (tenant acme): 1 replaced secret(s) are refused from now on.\n' });
    expect(await live()).toEqual([current]);
    const audit = await withStore((store) => store.transaction((r) => r.audit.forSubject('acme', 'source', 'pd-prod')));
    expect(audit.at(-1)).toMatchObject({ action: 'source.secret_revoked', actor: 'oncall' });
    expect(await cli(args('--revoke'))).toMatchObject({ code: 0, stdout: expect.stringMatching(/nothing changed/) });
    for (const secret of [old, current, key]) expect(JSON.stringify([run, audit])).not.toContain(secret);
  });

  it('--grace-hours N gives the replaced secret N more hours, shown in source health', async () => {
    const run = await cli(args('--grace-hours', '2'));
    expect(run.code).toBe(0);
    const until = /accepted until (\S+)\.$/m.exec(run.stdout)![1]!;
    expect(Date.parse(until) - Date.now()).toBeGreaterThan(3_500_000);
    const health = await cli(['source', 'health', '--store', file, '--source', 'pd-prod', '--tenant', 'acme']);
    expect(JSON.parse(health.stdout).secrets).toMatchObject({ previousValidUntil: until, lastUsed: null });
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, number, RegExp]> = [
      [args(), { INTAKE_KEY: key }, 2, /--revoke or --grace-hours/],
      [args('--revoke', '--grace-hours', '1'), { INTAKE_KEY: key }, 2, /--revoke or --grace-hours/],
      [args('--grace-hours', 'soon'), { INTAKE_KEY: key }, 2, /number of hours/],
      [args('--grace-hours', '721'), { INTAKE_KEY: key }, 1, /30 days/],
      [args('--revoke'), {}, 2, /INTAKE_KEY: that environment variable is not set/],
      [args('--revoke'), { INTAKE_KEY: 'short' }, 1, /not a valid key/],
      [args('--revoke'), { INTAKE_KEY: randomBytes(32).toString('base64') }, 1, /sealed with key .*, which is not among/],
      [[...args('--revoke').slice(0, 5), 'nope', ...args('--revoke').slice(6)], { INTAKE_KEY: key }, 1, /source nope was not found/],
    ];
    for (const [argv, env, code, message] of cases) {
      const run = await cli(argv, env);
      expect([run.code, run.stderr]).toEqual([code, expect.stringMatching(message)]);
      expect(run.stderr).not.toContain(key);
    }
    expect(await live()).toEqual([current, old]);
  });
});

describe('incident-intake source new-secret', () => {
  it('prints a fresh secret in the format the scheme needs', async () => {
    expect((await cli(['source', 'new-secret', '--scheme', 'standard-webhooks'])).stdout).toMatch(/^whsec_[A-Za-z0-9+/]{43}=\n$/);
    expect((await cli(['source', 'new-secret', '--scheme', 'basic'])).stdout).toMatch(/^intake:[A-Za-z0-9_-]{32}\n$/);
    expect(await cli(['source', 'new-secret', '--scheme', 'none'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/none has no secret/) });
  });
});
