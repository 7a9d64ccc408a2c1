import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveIntake } from '../../../core/http/serve-intake';
import { parseSourceConfig } from '../../../core/intake/source-config';
import { passThroughNormaliser } from '../../../core/mapping/pass-through-normaliser';
import { signRequest, type SchemeName } from '../../../core/signing';
import { openSqliteStore, type Store } from '../../../core/store';
import { privateBuild } from '../support/private-build';
import { scanForSecrets } from '../support/secret-scan';
import { SECRETS, wrongSecret } from '../support/secrets';

/**
 * The CLI run as a real process with recognisable secrets, through every path that prints something:
 * signing, verifying (valid and not), sending to an intake (accepted, refused, test events, unreachable),
 * and usage errors. Nothing it prints may contain any form of a secret.
 */
const HMAC_SCHEMES: Array<[SchemeName, string]> = [
  ['standard-webhooks', SECRETS.standardWebhooks],
  ['stripe', SECRETS.stripe],
  ['pagerduty', SECRETS.pagerduty],
  ['hub-sha256', SECRETS.hub],
  ['grafana', SECRETS.grafana],
  ['hmac-hex', SECRETS.hmacHex],
  ['hmac-base64', SECRETS.hmacBase64],
];
const CREDENTIAL_SCHEMES: Array<[SchemeName, string]> = [
  ['token', SECRETS.token],
  ['basic', SECRETS.basic],
];
const BODY = JSON.stringify({ externalId: 'CLI-1', title: 'Disk full', detectedAt: '2026-11-23T10:00:00.000Z', severity: 'high', status: 'open' });

interface Run {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

const runs: Run[] = [];
let main: string;
let server: Server;
let store: Store;
let url: string;

function cli(args: string[], stdin: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const run = { args, code, stdout, stderr };
      runs.push(run);
      resolve(run);
    });
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  main = join(privateBuild(), 'dist', 'cli', 'main.js');
  store = await openSqliteStore(':memory:');
  const sources = Object.fromEntries(
    [...HMAC_SCHEMES, ...CREDENTIAL_SCHEMES].map(([scheme, secret]) => [`/intake/${scheme}`, parseSourceConfig({ id: `cli-${scheme}`, tenant: 'cli', auth: { scheme, secrets: [{ value: secret }] } })]),
  );
  server = createServer((request, response) => void serveIntake(request, response, sources[request.url ?? ''], { store, normaliser: passThroughNormaliser }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  server?.close();
  await store?.close();
  const hits = scanForSecrets(Object.fromEntries(runs.map((run, i) => [`${i}: ${run.args.join(' ')}`, run.stdout + run.stderr])), SECRETS);
  console.log(`HARDENING secrets-cli runs=${runs.length} secretHits=${hits.length}`);
});

const headerArgs = (headers: Record<string, string>) => Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);

describe.concurrent('CLI output never contains a secret', () => {
  for (const [scheme, secret] of HMAC_SCHEMES) {
    it(`${scheme}: sign, verify (valid, wrong secret, tampered body), send with a wrong secret`, async () => {
      const env = { S: secret, W: wrongSecret(secret) };
      const headers = signRequest(scheme, secret, Buffer.from(BODY));
      const codes = await Promise.all([
        cli(['sign', '--scheme', scheme, '--secret-env', 'S'], BODY, env),
        cli(['verify', '--scheme', scheme, '--secret-env', 'S', ...headerArgs(headers)], BODY, env),
        cli(['verify', '--scheme', scheme, '--secret-env', 'W', ...headerArgs(headers)], BODY, env),
        cli(['verify', '--scheme', scheme, '--secret', secret, ...headerArgs(headers)], `${BODY} `, env),
        cli(['send', '--url', `${url}/intake/${scheme}`, '--scheme', scheme, '--secret-env', 'W'], BODY, env),
      ]);
      expect(codes.map((run) => run.code)).toEqual([0, 0, 1, 1, 1]);
    }, 60_000);
  }

  for (const [scheme, secret] of CREDENTIAL_SCHEMES) {
    it(`${scheme}: verify (valid and wrong) and send; signing prints the credential itself by design and is not run here`, async () => {
      const env = { S: secret, W: wrongSecret(secret) };
      const headers = signRequest(scheme, secret, Buffer.from(BODY));
      const codes = await Promise.all([
        cli(['verify', '--scheme', scheme, '--secret-env', 'S', ...headerArgs(headers)], BODY, env),
        cli(['verify', '--scheme', scheme, '--secret-env', 'W', ...headerArgs(headers)], BODY, env),
        cli(['send', '--url', `${url}/intake/${scheme}`, '--scheme', scheme, '--secret-env', 'S'], BODY, env),
        cli(['send', '--url', `${url}/intake/${scheme}`, '--scheme', scheme, '--secret-env', 'W'], BODY, env),
      ]);
      expect(codes.map((run) => run.code)).toEqual([0, 1, 0, 1]);
    }, 60_000);
  }

  it('accepted and test sends, and error paths: a secret the scheme cannot use, an unreachable intake, a missing variable', async () => {
    const env = { S: SECRETS.stripe, SW: SECRETS.standardWebhooks };
    const codes = await Promise.all([
      cli(['send', '--url', `${url}/intake/standard-webhooks`, '--scheme', 'standard-webhooks', '--secret-env', 'SW'], BODY, env),
      cli(['send', '--url', `${url}/intake/pagerduty`, '--scheme', 'pagerduty', '--secret', SECRETS.pagerduty, '--test'], BODY, env),
      cli(['sign', '--scheme', 'standard-webhooks', '--secret-env', 'S'], BODY, env),
      cli(['send', '--url', 'http://127.0.0.1:1/intake', '--scheme', 'standard-webhooks', '--secret-env', 'SW'], BODY, env),
      cli(['verify', '--scheme', 'stripe', '--secret-env', 'MISSING', '-H', 'Stripe-Signature: t=1,v1=00'], BODY, env),
      cli(['verify', '--scheme', 'stripe', '--secret', SECRETS.stripe, '-H', `Stripe-Signature: ${SECRETS.stripe}`], BODY, env),
    ]);
    expect(codes.map((run) => run.code)).toEqual([0, 0, 2, 1, 2, 1]);
  }, 60_000);

});

describe('after every run', () => {
  it('printed nothing that contains any form of a secret', () => {
    expect(runs.length).toBeGreaterThanOrEqual(49);
    const hits = scanForSecrets(Object.fromEntries(runs.map((run, i) => [`${i}: ${run.args.join(' ')}`, run.stdout + run.stderr])), SECRETS);
    expect(hits).toEqual([]);
  });
});
