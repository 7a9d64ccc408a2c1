import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { request } from 'undici';
import helper from 'node-red-node-test-helper';
import intakeStoreNode from '../../node-red/intake-store';
import intakeSourceNode from '../../node-red/intake-source';
import incidentIntakeNode from '../../node-red/incident-intake';
import { outcomeDetails } from '../../core/intake/outcome-details';
import { helperHttpServer } from '../support/helper-http-server';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';

vi.mock('../../core/intake/outcome-details', async (original) => {
  const actual = await original<typeof import('../../core/intake/outcome-details')>();
  return { outcomeDetails: vi.fn(actual.outcomeDetails) };
});

helper.init(require.resolve('node-red'));

/** What the intake node does per request besides the intake itself: reading back what it stored, its status. */
const http = helperHttpServer();
const { captureHttpNode } = http;
const nodes = [captureHttpNode, intakeStoreNode, intakeSourceNode, incidentIntakeNode];
const secret = generateStandardWebhookSecret();
const credentials = { src: { secret } };

beforeEach(() => {
  vi.mocked(outcomeDetails).mockClear();
});
afterEach(async () => helper.unload());

function flow(wires: string[][]) {
  return [
    { id: 'store', type: 'intake-store', sqlitePath: ':memory:' },
    { id: 'src', type: 'intake-source', tenant: 'acme', sourceId: 'web', provider: 'generic', mode: 'review', scheme: 'standard-webhooks' },
    { id: 'intake', type: 'incident-intake', source: 'src', store: 'store', wires },
    { id: 'review-out', type: 'helper' },
  ];
}

async function post(n: number) {
  const raw = Buffer.from(JSON.stringify({ externalId: `E-${n}`, title: 'Checkout failing', detectedAt: '2026-11-23T10:00:00Z', severity: 'high', status: 'open', dedup_key: `E-${n}` }));
  const response = await request(`${http.url()}/intake/web`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, raw, { id: `m-${n}` }) } });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, any> };
}

describe('Node-RED incident intake node, per request', () => {
  it('reads back what a request stored only when an output is wired to send it to', async () => {
    await helper.load(nodes as never, flow([[], [], []]), credentials);
    expect(await post(1)).toMatchObject({ status: 202, body: { outcome: 'accepted', events: [{ state: 'pending_review' }] } });
    expect(outcomeDetails).not.toHaveBeenCalled();
    await helper.unload();

    await helper.load(nodes as never, flow([['review-out'], [], []]), credentials);
    const message = new Promise<any>((resolve) => helper.getNode('review-out').once('input', resolve));
    const answer = await post(2);
    expect((await message).eventId).toBe(answer.body.events[0].id);
    expect(outcomeDetails).toHaveBeenCalledTimes(1);
  });

  it('shows its status at most four times a second, ending on the latest request', async () => {
    await helper.load(nodes as never, flow([[], [], []]), credentials);
    const shown: string[] = [];
    helper.getNode('intake').on('call:status', (call: { args: [{ text: string }] }) => shown.push(call.args[0].text));
    for (let n = 1; n <= 5; n++) await post(n);
    await vi.waitFor(() => expect(shown.at(-1)).toBe('202 accepted · 5 received'), { timeout: 2000 });
    expect(shown.length).toBeLessThan(5);
  });
});
