import { afterEach, describe, expect, it } from 'vitest';
import helper from 'node-red-node-test-helper';
import intakeStoreNode from '../../node-red/intake-store';
import webhookOutNode from '../../node-red/webhook-out';
import type { IncidentRecord } from '../../core/store/records';
import { WebhookReceiver } from '../delivery/support/webhook-receiver';

helper.init(require.resolve('node-red'));
const nodes = [intakeStoreNode, webhookOutNode];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await helper.unload();
  while (closers.length) await closers.pop()!();
});

const incident = (id: string): IncidentRecord => ({
  id, tenant: 'acme', dedupeKey: `generic::${id}`, sourceId: 'web', provider: 'generic', title: 'Checkout failing', severity: 'high', status: 'open',
  canonical: { provider: 'generic', externalId: id, dedupeKey: `generic::${id}`, title: 'Checkout failing', detectedAt: '2026-11-23T10:00:00.000Z', detectedAtSource: 'payload', severity: 'high', status: 'open', affectedSystems: ['checkout'], regulatoryRefs: [], raw: {} },
  version: 1, owner: null, createdAt: 1, updatedAt: 1, lastSeenAt: 1, resolvedAt: null, lastEventAt: null, becameAwareAt: 1, doraMajor: false, doraClassifiedAt: null, nis2Significant: false, nis2ClassifiedAt: null, milestones: {},
});

/** Sends `msg` to the out node and resolves with the next message it sends on (or rejects with its error). */
function answer(msg: Record<string, unknown>, matching: (topic: string) => boolean): Promise<any> {
  return new Promise((resolve, reject) => {
    const results = helper.getNode('n-results');
    const onInput = (sent: any) => {
      if (!matching(sent.topic)) return;
      results.removeListener('input', onInput);
      resolve(sent);
    };
    results.on('input', onInput);
    helper.getNode('n-out').once('call:error', (call: { args: unknown[] }) => reject(call.args[0]));
    helper.getNode('n-out').receive(msg as never);
  });
}

describe('Node-RED delivery nodes: replay by filter', () => {
  it('replays the dead letters a filter names (time window, HTTP status, error text), then the rest', async () => {
    const receiver = await WebhookReceiver.start();
    closers.push(() => receiver.close());
    receiver.respondWith({ status: 500 }, { status: 422 }, { status: 500 });
    receiver.alwaysRespond({ status: 204 });
    await helper.load(nodes as never, [
      { id: 'n-store', type: 'intake-store', sqlitePath: ':memory:', retentionDays: '0' },
      { id: 'n-out', type: 'webhook-out', store: 'n-store', tenant: 'acme', url: receiver.url, allowHosts: '127.0.0.1', scheme: 'none', maxAttempts: '1', wires: [['n-results']] },
      { id: 'n-results', type: 'helper' },
    ], {});
    const before = new Date(Date.now() - 60_000).toISOString();
    const dead: any[] = [];
    for (const id of ['inc_1', 'inc_2', 'inc_3']) {
      dead.push((await answer({ payload: incident(id) }, (topic) => topic === 'dead_letter')).payload);
      expect(dead.at(-1)).toMatchObject({ incidentId: id, status: 'dead_letter' });
    }
    // Without a response body to describe, the last error is the classification: http_500, http_422.
    expect(dead.map((payload) => payload.reason)).toEqual(['http_500', 'http_422', 'http_500']);
    const replay = (filter: unknown) => answer({ topic: 'replay', filter }, (topic) => topic === 'replayed').then((sent) => sent.payload.replayed);

    expect(await replay({ since: new Date(Date.now() + 3_600_000).toISOString() })).toBe(0);
    expect(await replay({ error: 'no such error text' })).toBe(0);
    expect(await replay({ error: 'HTTP_422' })).toBe(1);
    expect(await replay({ since: before, until: Date.now() + 3_600_000, status: '500', incidentId: 'inc_3' })).toBe(1);
    await expect.poll(() => receiver.requests.length).toBe(5);
    expect(await replay(undefined)).toBe(1);
    await expect.poll(() => receiver.requests.length).toBe(6);
    expect(receiver.requests.map((request) => JSON.parse(request.body).data.id)).toEqual(['inc_1', 'inc_2', 'inc_3', 'inc_2', 'inc_3', 'inc_1']);
  });

  it('says what is wrong with a bad filter and replays nothing', async () => {
    await helper.load(nodes as never, [
      { id: 'n-store', type: 'intake-store', sqlitePath: ':memory:', retentionDays: '0' },
      { id: 'n-out', type: 'webhook-out', store: 'n-store', tenant: 'acme', url: 'http://127.0.0.1:9/x', scheme: 'none', wires: [['n-results']] },
      { id: 'n-results', type: 'helper' },
    ], {});
    for (const [filter, message] of [
      ['last week', /must be an object/],
      [{ since: 'yesterday' }, /since must be an ISO 8601 time/],
      [{ status: 'teapot' }, /HTTP status code/],
      [{ error: '' }, /text the last error contains/],
      [{ stauts: 503 }, /unknown stauts/],
      [{}, /msg.filter is empty/],
    ] as const) {
      await expect(answer({ topic: 'replay', filter }, () => true)).rejects.toThrow(message);
    }
    await expect(answer({ topic: 'replay', ids: ['dlv_1'], filter: { status: 503 } }, () => true)).rejects.toThrow(/not both/);
  });
});
