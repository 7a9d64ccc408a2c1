import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import helper from 'node-red-node-test-helper';
import intakeStoreNode from '../../node-red/intake-store';
import intakeSourceNode from '../../node-red/intake-source';
import incidentIntakeNode from '../../node-red/incident-intake';
import { helperHttpServer } from '../support/helper-http-server';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';

helper.init(require.resolve('node-red'));

const http = helperHttpServer();
const { captureHttpNode } = http;
const nodes = [captureHttpNode, intakeStoreNode, intakeSourceNode, incidentIntakeNode];
const dir = mkdtempSync(join(tmpdir(), 'source-secret-refs-'));

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await helper.unload();
});

const event = { externalId: 'E-1', title: 'Checkout failing', detectedAt: '2026-11-23T10:00:00Z', severity: 'high', status: 'open', dedup_key: 'E-1' };
const flow = () => [
  { id: 'store', type: 'intake-store', sqlitePath: ':memory:' },
  { id: 'src', type: 'intake-source', tenant: 'acme', sourceId: 'web', provider: 'generic', mode: 'review', scheme: 'standard-webhooks' },
  { id: 'intake', type: 'incident-intake', source: 'src', store: 'store', wires: [[], [], []] },
];

async function post(key: string) {
  const raw = Buffer.from(JSON.stringify(event));
  const response = await request(`${http.url()}/intake/web`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', key, raw, { id: `msg_${randomBytes(4).toString('hex')}` }) } });
  await response.body.dump();
  return response.statusCode;
}

describe('Node-RED intake source: secret references', () => {
  it('verifies with a secret read from a mounted file (file:/path) and from the environment (env:NAME)', async () => {
    const fromFile = generateStandardWebhookSecret();
    const path = join(dir, 'source-secret');
    writeFileSync(path, `${fromFile}\n`);
    await helper.load(nodes as never, flow(), { src: { secret: `file:${path}` } });
    expect(await post(fromFile)).toBe(202);
    expect(await post(generateStandardWebhookSecret())).toBe(401);
    await helper.unload();

    const fromEnv = generateStandardWebhookSecret();
    const name = `SOURCE_SECRET_${randomBytes(3).toString('hex').toUpperCase()}`;
    process.env[name] = fromEnv;
    try {
      await helper.load(nodes as never, flow(), { src: { secret: `env:${name}` } });
      expect(await post(fromEnv)).toBe(202);
    } finally {
      delete process.env[name];
    }
  });

  it('takes a reference that gives nothing as a misconfigured source: it says which reference, never serves it', async () => {
    const missing = join(dir, 'not-mounted');
    await helper.load(nodes as never, flow(), { src: { secret: `file:${missing}` } });
    const source = helper.getNode('src') as any;
    expect(source.problem).toContain(`secret reference file:${missing} names a file that does not exist`);
    expect((helper.getNode('intake') as any).status.lastCall.args[0]).toMatchObject({ fill: 'red', text: 'invalid source' });
    expect(await post(generateStandardWebhookSecret())).toBe(404);
  });
});
