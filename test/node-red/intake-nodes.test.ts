import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import helper from 'node-red-node-test-helper';
import intakeStoreNode from '../../node-red/intake-store';
import intakeSourceNode from '../../node-red/intake-source';
import incidentIntakeNode from '../../node-red/incident-intake';
import incidentReviewNode from '../../node-red/incident-review';
import { helperHttpServer } from '../support/helper-http-server';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';

helper.init(require.resolve('node-red'));

const http = helperHttpServer();
const { captureHttpNode } = http;
const nodes = [captureHttpNode, intakeStoreNode, intakeSourceNode, incidentIntakeNode, incidentReviewNode];

afterEach(async () => {
  await helper.unload();
});

const secret = generateStandardWebhookSecret();
const event = { externalId: 'E-1', title: 'Checkout failing', detectedAt: '2026-11-23T10:00:00Z', severity: 'high', status: 'open', dedup_key: 'E-1' };

function flow(mode: 'review' | 'auto-create', extra: object[] = []) {
  return [
    { id: 'store', type: 'intake-store', sqlitePath: ':memory:' },
    { id: 'src', type: 'intake-source', tenant: 'acme', sourceId: 'web', provider: 'generic', mode, scheme: 'standard-webhooks', maxBodyKb: '4' },
    { id: 'intake', type: 'incident-intake', source: 'src', store: 'store', wires: [['review-out'], ['incident-out'], ['quarantine-out']] },
    { id: 'review-out', type: 'helper' },
    { id: 'incident-out', type: 'helper' },
    { id: 'quarantine-out', type: 'helper' },
    ...extra,
  ];
}
const credentials = { src: { secret } };

async function post(path: string, body: unknown, id: string, key = secret) {
  const raw = Buffer.from(JSON.stringify(body));
  const response = await request(`${http.url()}${path}`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', key, raw, { id }) } });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, any> };
}

function nextMessage(nodeId: string): Promise<any> {
  return new Promise((resolve) => helper.getNode(nodeId).once('input', resolve));
}

describe('Node-RED incident intake node', () => {
  it('answers the sender and sends a review message for a signed event', async () => {
    await helper.load(nodes as never, flow('review'), credentials);
    const message = nextMessage('review-out');
    const answer = await post('/intake/web', event, 'm-1');
    expect(answer).toMatchObject({ status: 202, body: { outcome: 'accepted' } });
    const msg = await message;
    expect(msg).toMatchObject({ topic: 'review', tenant: 'acme', sourceId: 'web', eventId: answer.body.events[0].id, payload: { state: 'pending_review' } });
    expect(msg.payload.candidate).toMatchObject({ detectedAt: '2026-11-23T10:00:00.000Z', detectedAtSource: 'payload' });
    const untimed = nextMessage('review-out');
    await post('/intake/web', { title: 'Checkout slow', severity: 'low', dedup_key: 'E-9' }, 'm-1b');
    expect((await untimed).payload.candidate).toMatchObject({ detectedAtSource: 'received' });
  });

  it('refuses a bad signature with 401 and sends nothing', async () => {
    await helper.load(nodes as never, flow('review'), credentials);
    let sent = 0;
    for (const id of ['review-out', 'incident-out', 'quarantine-out']) helper.getNode(id).on('input', () => sent++);
    const answer = await post('/intake/web', event, 'm-2', generateStandardWebhookSecret());
    expect(answer).toMatchObject({ status: 401, body: { outcome: 'unauthorized' } });
    const big = await post('/intake/web', { ...event, description: 'x'.repeat(5000) }, 'm-3');
    expect(big.status).toBe(413);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toBe(0);
  });

  it('sends created incidents on the incident output in auto-create mode, and quarantined events on the third', async () => {
    await helper.load(nodes as never, flow('auto-create'), credentials);
    const incident = nextMessage('incident-out');
    await post('/intake/web', event, 'm-4');
    expect(await incident).toMatchObject({ topic: 'incident.created', change: 'created', version: 1, payload: { title: 'Checkout failing', status: 'open', canonical: { detectedAtSource: 'payload' } } });
    const quarantined = nextMessage('quarantine-out');
    const answer = await post('/intake/web', { severity: 'high' }, 'm-5');
    expect(answer.status).toBe(202);
    expect((await quarantined).payload.reasons.map((r: { field: string }) => r.field)).toContain('title');
  });

  it('removes its route when the flow is unloaded', async () => {
    await helper.load(nodes as never, flow('review'), credentials);
    expect((await post('/intake/web', event, 'm-6')).status).toBe(202);
    await helper.unload();
    const after = await request(`${http.url()}/intake/web`, { method: 'POST', body: '{}' });
    expect(after.statusCode).toBe(404);
    await after.body.dump();
  });

  it('promotes through the review node, taking event id, actor and reason from msg', async () => {
    const review = { id: 'reviewer', type: 'incident-review', source: 'src', store: 'store', action: 'promote', eventId: 'eventId', eventIdType: 'msg', actor: 'actor', actorType: 'msg', reason: 'reason', reasonType: 'msg', wires: [['promoted']] };
    await helper.load(nodes as never, flow('review', [review, { id: 'promoted', type: 'helper' }]), credentials);
    const pending = nextMessage('review-out');
    await post('/intake/web', event, 'm-7');
    const { eventId } = await pending;
    const promoted = nextMessage('promoted');
    helper.getNode('reviewer').receive({ eventId, actor: 'alice', reason: 'customer impact confirmed' } as never);
    expect(await promoted).toMatchObject({ change: 'created', version: 1, payload: { title: 'Checkout failing' } });
    const failed = new Promise((resolve) => helper.getNode('reviewer').on('call:error', resolve));
    helper.getNode('reviewer').receive({ eventId, actor: 'bob', reason: 'again' } as never);
    expect(String(((await failed) as { args: unknown[] }).args[0])).toMatch(/promoted, not pending review/);
  });
});
