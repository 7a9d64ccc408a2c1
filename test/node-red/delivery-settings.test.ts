import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import helper from 'node-red-node-test-helper';
import intakeStoreNode from '../../node-red/intake-store';
import webhookOutNode from '../../node-red/webhook-out';
import incidentIoAccountNode from '../../node-red/incidentio-account';
import incidentIoOutNode from '../../node-red/incidentio-out';
import { DatabaseSync } from 'node:sqlite';
import { IncidentIoStandIn } from '../delivery/support/incident-io-stand-in';
import { openSqliteStore } from '../../core/store';
import type { IncidentRecord } from '../../core/store/records';
import { WebhookReceiver } from '../delivery/support/webhook-receiver';

helper.init(require.resolve('node-red'));
const nodes = [intakeStoreNode, webhookOutNode, incidentIoAccountNode, incidentIoOutNode];
const directory = mkdtempSync(join(tmpdir(), 'node-red-delivery-settings-'));
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await helper.unload();
  while (closers.length) await closers.pop()!();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const incident = (id: string, version: number, status: 'open' | 'resolved' = 'open'): IncidentRecord => ({
  id, tenant: 'acme', dedupeKey: `generic::${id}`, sourceId: 'web', provider: 'generic', title: 'Checkout failing', severity: 'high', status,
  canonical: { provider: 'generic', externalId: id, dedupeKey: `generic::${id}`, title: 'Checkout failing', detectedAt: '2026-11-23T10:00:00.000Z', detectedAtSource: 'payload', severity: 'high', status, affectedSystems: ['checkout'], regulatoryRefs: [], raw: {} },
  version, owner: null, createdAt: 1, updatedAt: version, lastSeenAt: 1, resolvedAt: null, lastEventAt: null, becameAwareAt: 1, doraMajor: false, doraClassifiedAt: null, nis2Significant: false, nis2ClassifiedAt: null, milestones: {},
});

/** Resolves with the next message the out node sends on whose topic matches (or rejects with the node's error). */
function next(matching: (msg: any) => boolean, send?: Record<string, unknown>): Promise<any> {
  return new Promise((resolve, reject) => {
    const results = helper.getNode('n-results');
    const onInput = (sent: any) => {
      if (!matching(sent)) return;
      results.removeListener('input', onInput);
      resolve(sent);
    };
    results.on('input', onInput);
    helper.getNode('n-out').once('call:error', (call: { args: unknown[] }) => reject(call.args[0]));
    if (send) helper.getNode('n-out').receive(send as never);
  });
}

async function load(receiver: WebhookReceiver, fields: Record<string, string>, path = join(directory, `${Math.random().toString(36).slice(2)}.sqlite`)) {
  await helper.load(nodes as never, [
    { id: 'n-store', type: 'intake-store', sqlitePath: path, retentionDays: '0' },
    { id: 'n-out', type: 'webhook-out', store: 'n-store', tenant: 'acme', url: receiver.url, allowHosts: '127.0.0.1', scheme: 'none', ...fields, wires: [['n-results']] },
    { id: 'n-results', type: 'helper' },
  ], {});
  return path;
}

const versionsSent = (receiver: WebhookReceiver) => receiver.requests.map((request) => `${JSON.parse(request.body).data.id}@${JSON.parse(request.body).type}`);

describe('Node-RED delivery nodes: ordering, pacing and replay of superseded versions', () => {
  it('with per-incident ordering, a newer version waits while the older one is retried', async () => {
    const receiver = await WebhookReceiver.start();
    closers.push(() => receiver.close());
    receiver.respondWith({ status: 503 });
    receiver.alwaysRespond({ status: 204 });
    await load(receiver, { ordering: 'per-incident', maxAttempts: '3', retrySchedule: '1' });
    const deliveredResolved = next((msg) => msg.topic === 'delivered' && msg.payload.eventKind === 'incident.resolved');
    helper.getNode('n-out').receive({ payload: incident('inc_1', 1) } as never);
    helper.getNode('n-out').receive({ payload: incident('inc_1', 2, 'resolved') } as never);
    await deliveredResolved;
    expect(versionsSent(receiver)).toEqual(['inc_1@incident.created', 'inc_1@incident.created', 'inc_1@incident.resolved']);
  });

  it('draws from the bucket it names, a row in the store', async () => {
    const receiver = await WebhookReceiver.start();
    closers.push(() => receiver.close());
    receiver.alwaysRespond({ status: 204 });
    const path = await load(receiver, { ratePerMinute: '30', rateBurst: '4', rateBucket: 'soc-receiver' });
    await next((msg) => msg.topic === 'delivered', { payload: incident('inc_1', 1) });
    await helper.unload();
    const store = await openSqliteStore(path);
    closers.push(() => store.close());
    const bucket = await store.transaction((r) => r.rateBuckets.get('key:soc-receiver'));
    expect(bucket!.tokens).toBeGreaterThanOrEqual(3);
    expect(bucket!.tokens).toBeLessThan(4);
  });

  it('refuses a rate that is not a number, at deploy, with the field named', async () => {
    const receiver = await WebhookReceiver.start();
    closers.push(() => receiver.close());
    await load(receiver, { ratePerMinute: 'fast' });
    const out = helper.getNode('n-out') as unknown as { error: { getCalls(): Array<{ thisValue: { id: string }; args: unknown[] }> } };
    const errors = out.error.getCalls().filter((call) => call.thisValue.id === 'n-out').map((call) => String(call.args[0]));
    expect(errors).toEqual(['webhook out: rate limit per minute: "fast" is not a number above 0']);
  });

  it('replay skips a dead-lettered older version once a newer one was delivered, says so, and replays it when forced', async () => {
    const receiver = await WebhookReceiver.start();
    closers.push(() => receiver.close());
    receiver.respondWith({ status: 500 });
    receiver.alwaysRespond({ status: 204 });
    await load(receiver, { maxAttempts: '1' });
    expect((await next((msg) => msg.topic === 'dead_letter', { payload: incident('inc_1', 1) })).payload).toMatchObject({ eventKind: 'incident.created' });
    expect((await next((msg) => msg.topic === 'delivered', { payload: incident('inc_1', 2, 'resolved') })).payload).toMatchObject({ eventKind: 'incident.resolved' });

    const skipped = (await next((msg) => msg.topic === 'replayed', { topic: 'replay' })).payload;
    expect(skipped).toMatchObject({ replayed: 0, skipped: 1, skippedDeliveries: [{ incidentId: 'inc_1', eventVersion: 1, reason: 'superseded', newerVersion: 2, newerState: 'delivered' }] });
    await expect(next(() => true, { topic: 'replay', force: 'yes' })).rejects.toThrow(/msg.force must be true or false/);

    const forced = next((msg) => msg.topic === 'delivered');
    expect((await next((msg) => msg.topic === 'replayed', { topic: 'replay', force: true })).payload).toMatchObject({ replayed: 1, skipped: 0, skippedDeliveries: [] });
    await forced;
    expect(versionsSent(receiver)).toEqual(['inc_1@incident.created', 'inc_1@incident.resolved', 'inc_1@incident.created']);
  });

  it('two incident.io out nodes (two tenants) on one alert source draw from one bucket in the store', async () => {
    const standIn = await IncidentIoStandIn.start({ apiKey: 'api-key-1', alertSources: { 'src-config-1': 'alert-token-1' } });
    closers.push(() => standIn.close());
    const path = join(directory, 'shared-alert-source.sqlite');
    await helper.load(nodes as never, [
      { id: 'n-store', type: 'intake-store', sqlitePath: path, retentionDays: '0' },
      { id: 'n-account', type: 'incidentio-account', baseUrl: standIn.url, alertSourceConfigId: 'src-config-1' },
      { id: 'n-out', type: 'incidentio-out', account: 'n-account', store: 'n-store', tenant: 'acme', target: 'alert_event', ordering: 'per-incident', allowHosts: '127.0.0.1', wires: [['n-results']] },
      { id: 'n-out-2', type: 'incidentio-out', account: 'n-account', store: 'n-store', tenant: 'globex', target: 'alert_event', ordering: 'per-incident', allowHosts: '127.0.0.1', wires: [['n-results']] },
      { id: 'n-results', type: 'helper' },
    ], { 'n-account': { alertSourceToken: 'alert-token-1' } });
    const both = new Promise<void>((resolve) => {
      const seen = new Set<string>();
      helper.getNode('n-results').on('input', (msg: any) => {
        if (msg.topic === 'delivered') seen.add(msg.payload.tenant);
        if (seen.size === 2) resolve();
      });
    });
    helper.getNode('n-out').receive({ payload: incident('inc_1', 1) } as never);
    helper.getNode('n-out-2').receive({ payload: { ...incident('inc_2', 1), tenant: 'globex' } } as never);
    await both;
    await helper.unload();
    const db = new DatabaseSync(path);
    try {
      const rows = db.prepare('SELECT bucket, tokens FROM rate_buckets ORDER BY bucket').all() as Array<{ bucket: string; tokens: number }>;
      expect(rows.map((row) => row.bucket)).toEqual([`incident-io:${new URL(standIn.url).origin}:alert-source:src-config-1`]);
      expect(rows[0]!.tokens).toBeLessThan(10);
    } finally {
      db.close();
    }
  });
});
