import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import helper from 'node-red-node-test-helper';
import intakeStoreNode from '../../node-red/intake-store';
import webhookOutNode from '../../node-red/webhook-out';
import { generateStandardWebhookSecret } from '../../core/signing';
import type { IncidentRecord } from '../../core/store/records';
import { WebhookReceiver } from '../delivery/support/webhook-receiver';

helper.init(require.resolve('node-red'));
const nodes = [intakeStoreNode, webhookOutNode];
const dir = mkdtempSync(join(tmpdir(), 'webhook-out-secrets-'));
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await helper.unload();
  while (closers.length) await closers.pop()!();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const incident = (): IncidentRecord => ({
  id: 'inc_1', tenant: 'acme', dedupeKey: 'generic::E-1', sourceId: 'web', provider: 'generic', title: 'Checkout failing', severity: 'high', status: 'open',
  canonical: { provider: 'generic', externalId: 'E-1', dedupeKey: 'generic::E-1', title: 'Checkout failing', detectedAt: '2026-11-23T10:00:00.000Z', detectedAtSource: 'payload', severity: 'high', status: 'open', affectedSystems: ['checkout'], regulatoryRefs: [], raw: {} },
  version: 1, owner: null, createdAt: 1, updatedAt: 1, lastSeenAt: 1, resolvedAt: null, lastEventAt: null, becameAwareAt: 1, doraMajor: false, doraClassifiedAt: null, nis2Significant: false, nis2ClassifiedAt: null, milestones: {},
});

function firstResult(nodeId: string): Promise<any> {
  return new Promise((resolve) => helper.getNode(nodeId).on('input', (msg: any) => resolve(msg)));
}

async function receiver(secret: string) {
  const started = await WebhookReceiver.start({ secret });
  closers.push(() => started.close());
  return started;
}

const flow = (url: string, extra: Record<string, unknown> = {}) => [
  { id: 'n-store', type: 'intake-store', sqlitePath: ':memory:' },
  { id: 'n-out', type: 'webhook-out', store: 'n-store', tenant: 'acme', url, allowHosts: '127.0.0.1', retrySchedule: '0.05', wires: [['n-results']], ...extra },
  { id: 'n-results', type: 'helper' },
];

describe('Node-RED webhook out: secrets come from credentials', () => {
  it('sends secret headers from the credential store, references included, over plain headers of the same name', async () => {
    const secret = generateStandardWebhookSecret();
    const hook = await receiver(secret);
    const apiKey = `key-${randomBytes(10).toString('hex')}`;
    const keyFile = join(dir, 'api-key');
    writeFileSync(keyFile, `${apiKey}\n`);
    const envName = `WEBHOOK_OUT_TEST_TOKEN_${randomBytes(3).toString('hex').toUpperCase()}`;
    const token = `token-${randomBytes(10).toString('hex')}`;
    process.env[envName] = token;
    closers.push(() => void delete process.env[envName]);
    const secretHeaders = JSON.stringify({ Authorization: `Bearer env:${envName}`, 'X-Api-Key': `file:${keyFile}`, 'X-Client': 'from-credentials' });
    await helper.load(nodes as never, flow(`${hook.url}/hooks`, { headers: '{"X-Client":"plain","X-Team":"payments"}' }), { 'n-out': { secret, secretHeaders } });
    const result = firstResult('n-results');
    helper.getNode('n-out').receive({ payload: incident() } as never);
    expect((await result).topic).toBe('delivered');
    const sent = hook.requests[0]!;
    expect(sent.verified).toBe(true);
    expect(sent.headers.authorization).toBe(`Bearer ${token}`);
    expect(sent.headers['x-api-key']).toBe(apiKey);
    expect(sent.headers['x-client']).toBe('from-credentials');
    expect(sent.headers['x-team']).toBe('payments');
  });

  it('takes a secret URL from the credentials instead of the URL field', async () => {
    const secret = generateStandardWebhookSecret();
    const hook = await receiver(secret);
    await helper.load(nodes as never, flow(''), { 'n-out': { secret, secretUrl: `${hook.url}/services/T0/B0/path-token-${randomBytes(6).toString('hex')}` } });
    const result = firstResult('n-results');
    helper.getNode('n-out').receive({ payload: incident() } as never);
    expect((await result).topic).toBe('delivered');
    expect(hook.requests[0]!.path).toMatch(/^\/services\/T0\/B0\/path-token-/);
  });

  it('keeps an old flow with a plain Authorization header working, and warns at every start without the value', async () => {
    const secret = generateStandardWebhookSecret();
    const hook = await receiver(secret);
    const literal = `Bearer plain-${randomBytes(10).toString('hex')}`;
    await helper.load(nodes as never, flow(`${hook.url}/hooks`, { headers: JSON.stringify({ Authorization: literal }) }), { 'n-out': { secret } });
    const out = helper.getNode('n-out') as any;
    const warnings = out.warn.args.map((args: unknown[]) => String(args[0]));
    expect(warnings.some((w: string) => w.includes('header Authorization looks like it carries a secret in a plain field'))).toBe(true);
    expect(warnings.join('\n')).not.toContain(literal.slice(7));
    const result = firstResult('n-results');
    out.receive({ payload: incident() });
    expect((await result).topic).toBe('delivered');
    expect(hook.requests[0]!.headers.authorization).toBe(literal);
  });

  it('refuses secret headers that are not a JSON object without quoting them', async () => {
    const garbled = `{"Authorization": "Bearer ${randomBytes(8).toString('hex')}"`;
    await helper.load(nodes as never, flow('http://127.0.0.1:9/hooks'), { 'n-out': { secret: generateStandardWebhookSecret(), secretHeaders: garbled } });
    const out = helper.getNode('n-out') as any;
    const errors = out.error.args.map((args: unknown[]) => String(args[0])).join('\n');
    expect(errors).toContain('secret headers are not valid JSON');
    expect(errors).not.toContain(garbled.slice(26));
    expect(out.status.lastCall.args[0]).toMatchObject({ fill: 'red' });
  });

  it('fails a delivery as retryable, naming the reference only, when a secret file is missing', async () => {
    const secret = generateStandardWebhookSecret();
    const hook = await receiver(secret);
    const missing = join(dir, 'not-mounted-yet');
    await helper.load(nodes as never, flow(`${hook.url}/hooks`), { 'n-out': { secret, secretHeaders: JSON.stringify({ Authorization: `Bearer file:${missing}` }) } });
    const result = firstResult('n-results');
    helper.getNode('n-out').receive({ payload: incident() } as never);
    const message = await result;
    expect(message.topic).toBe('retry_scheduled');
    expect(message.payload).toMatchObject({ reason: 'secret_unavailable', error: `headers.Authorization: secret reference file:${missing} names a file that does not exist` });
    expect(hook.requests).toHaveLength(0);
  });
});
