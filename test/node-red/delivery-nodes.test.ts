import { afterEach, describe, expect, it } from 'vitest';
import helper from 'node-red-node-test-helper';
import intakeStoreNode from '../../node-red/intake-store';
import incidentIoAccountNode from '../../node-red/incidentio-account';
import incidentIoOutNode from '../../node-red/incidentio-out';
import webhookOutNode from '../../node-red/webhook-out';
import { generateStandardWebhookSecret } from '../../core/signing';
import type { IncidentRecord } from '../../core/store/records';
import { WebhookReceiver } from '../delivery/support/webhook-receiver';
import { IncidentIoStandIn } from '../delivery/support/incident-io-stand-in';

helper.init(require.resolve('node-red'));
const nodes = [intakeStoreNode, incidentIoAccountNode, incidentIoOutNode, webhookOutNode];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await helper.unload();
  while (closers.length) await closers.pop()!();
});

const incident = (overrides: Partial<IncidentRecord> = {}): IncidentRecord => ({
  id: 'inc_1', tenant: 'acme', dedupeKey: 'generic::E-1', sourceId: 'web', provider: 'generic', title: 'Checkout failing', severity: 'high', status: 'open',
  canonical: { provider: 'generic', externalId: 'E-1', dedupeKey: 'generic::E-1', title: 'Checkout failing', detectedAt: '2026-11-23T10:00:00.000Z', detectedAtSource: 'payload', severity: 'high', status: 'open', affectedSystems: ['checkout'], regulatoryRefs: [], raw: {} },
  version: 1, owner: null, createdAt: 1, updatedAt: 1, lastSeenAt: 1, resolvedAt: null, lastEventAt: null, becameAwareAt: 1, doraMajor: false, doraClassifiedAt: null, nis2Significant: false, nis2ClassifiedAt: null, milestones: {},
  ...overrides,
});

/** Collects the out node's result messages until one satisfies `done`. */
function results(nodeId: string, done: (statuses: string[]) => boolean): Promise<any[]> {
  const seen: any[] = [];
  return new Promise((resolve) =>
    helper.getNode(nodeId).on('input', (msg: any) => {
      seen.push(msg);
      if (done(seen.map((m) => m.topic))) resolve(seen);
    }),
  );
}

describe('Node-RED webhook out', () => {
  it('delivers a signed incident that the official library verifies, retrying through an outage', async () => {
    const secret = generateStandardWebhookSecret();
    const receiver = await WebhookReceiver.start({ secret });
    closers.push(() => receiver.close());
    receiver.respondWith({ status: 503 }, { status: 502 });
    await helper.load(nodes as never, [
      { id: 'n-store', type: 'intake-store', sqlitePath: ':memory:' },
      { id: 'n-out', type: 'webhook-out', store: 'n-store', tenant: 'acme', url: `${receiver.url}/hooks`, allowHosts: '127.0.0.1', retrySchedule: '0.05, 0.05, 0.05', wires: [['n-results']] },
      { id: 'n-results', type: 'helper' },
    ], { 'n-out': { secret } });
    const collected = results('n-results', (topics) => topics.includes('delivered'));
    helper.getNode('n-out').receive({ payload: incident() } as never);
    const messages = await collected;
    expect(messages.map((m) => m.topic)).toEqual(['retry_scheduled', 'retry_scheduled', 'delivered']);
    expect(messages[2].payload).toMatchObject({ status: 'delivered', httpStatus: 204, incidentId: 'inc_1', attempt: 3 });
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.requests.every((r) => r.verified === true)).toBe(true);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(JSON.parse(receiver.requests[2]!.body)).toMatchObject({ type: 'incident.created', data: expect.objectContaining({ title: 'Checkout failing' }) });
    expect(JSON.stringify(messages)).not.toContain(secret);
  });

  it('dead-letters after the last attempt and says so on the output', async () => {
    const receiver = await WebhookReceiver.start();
    closers.push(() => receiver.close());
    receiver.alwaysRespond({ status: 500 });
    await helper.load(nodes as never, [
      { id: 'n-store', type: 'intake-store', sqlitePath: ':memory:' },
      { id: 'n-out', type: 'webhook-out', store: 'n-store', tenant: 'acme', url: receiver.url, allowHosts: '127.0.0.1', scheme: 'none', maxAttempts: '2', retrySchedule: '0.05', wires: [['n-results']] },
      { id: 'n-results', type: 'helper' },
    ], {});
    const collected = results('n-results', (topics) => topics.includes('dead_letter'));
    helper.getNode('n-out').receive({ payload: incident() } as never);
    expect((await collected).map((m) => m.topic)).toEqual(['retry_scheduled', 'dead_letter']);
  });

  it('reports a message without an incident as an error', async () => {
    await helper.load(nodes as never, [
      { id: 'n-store', type: 'intake-store', sqlitePath: ':memory:' },
      { id: 'n-out', type: 'webhook-out', store: 'n-store', url: 'http://127.0.0.1:9/x', scheme: 'none' },
    ], {});
    const failed = new Promise((resolve) => helper.getNode('n-out').on('call:error', resolve));
    helper.getNode('n-out').receive({ payload: 'hello' } as never);
    expect(String(((await failed) as { args: unknown[] }).args[0])).toMatch(/expected an incident/);
  });
});

describe('Node-RED incident.io out', () => {
  it('sends an alert event to the HTTP alert source with its token', async () => {
    const standIn = await IncidentIoStandIn.start({ apiKey: 'api-key-1', alertSources: { 'src-config-1': 'alert-token-1' } });
    closers.push(() => standIn.close());
    await helper.load(nodes as never, [
      { id: 'n-store', type: 'intake-store', sqlitePath: ':memory:' },
      { id: 'n-account', type: 'incidentio-account', baseUrl: standIn.url, alertSourceConfigId: 'src-config-1' },
      { id: 'n-out', type: 'incidentio-out', account: 'n-account', store: 'n-store', tenant: 'acme', target: 'alert_event', allowHosts: '127.0.0.1', wires: [['n-results']] },
      { id: 'n-results', type: 'helper' },
    ], { 'n-account': { alertSourceToken: 'alert-token-1' } });
    const collected = results('n-results', (topics) => topics.includes('delivered'));
    helper.getNode('n-out').receive({ payload: incident() } as never);
    const [message] = await collected;
    expect(message.payload).toMatchObject({ status: 'delivered', httpStatus: 202 });
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.requests[0]).toMatchObject({ path: '/v2/alert_events/http/src-config-1', violations: [], body: expect.objectContaining({ status: 'firing', title: 'Checkout failing', deduplication_key: 'generic::E-1' }) });
    expect(JSON.stringify(message)).not.toContain('alert-token-1');
  });
});
