import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import helper from 'node-red-node-test-helper';
import intakeStoreNode from '../../node-red/intake-store';
import intakeSourceNode from '../../node-red/intake-source';
import incidentIntakeNode from '../../node-red/incident-intake';
import incidentEventsNode from '../../node-red/incident-events';
import { helperHttpServer } from '../support/helper-http-server';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { addEvidence, setOwner } from '../../core/incidents/incident-updates';
import type { IntakeStoreNode } from '../../node-red/shared/intake-store-settings';

// The incident events node in node-red-node-test-helper's runtime: kind filter, message shape, bad settings.
helper.init(require.resolve('node-red'));

const http = helperHttpServer();
const nodes = [http.captureHttpNode, intakeStoreNode, intakeSourceNode, incidentIntakeNode, incidentEventsNode];
const secret = generateStandardWebhookSecret();
afterEach(async () => helper.unload());

const flow = [
  { id: 'store', type: 'intake-store', sqlitePath: ':memory:' },
  { id: 'src', type: 'intake-source', tenant: 'acme', sourceId: 'web', provider: 'generic', mode: 'auto-create', scheme: 'standard-webhooks' },
  { id: 'intake', type: 'incident-intake', source: 'src', store: 'store', wires: [[], ['incident-out'], []] },
  { id: 'incident-out', type: 'helper' },
  { id: 'owners', type: 'incident-events', source: 'src', store: 'store', kinds: 'incident.owner_changed, deadline.*', scan: false, wires: [['owners-out']] },
  { id: 'owners-out', type: 'helper' },
  { id: 'everything', type: 'incident-events', source: 'src', store: 'store', kinds: '', scan: false, wires: [['all-out']] },
  { id: 'all-out', type: 'helper' },
  { id: 'bad', type: 'incident-events', source: 'src', store: 'store', kinds: 'incident.exploded', wires: [[]] },
];

async function createIncident(): Promise<string> {
  const created = new Promise<any>((resolve) => helper.getNode('incident-out').once('input', resolve));
  const raw = Buffer.from(JSON.stringify({ id: 'E-1', title: 'Payments down', detectedAt: new Date(Date.now() - 3_600_000).toISOString(), severity: 'critical', status: 'open' }));
  const response = await request(`${http.url()}/intake/web`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, raw, { id: 'm-1' }) } });
  expect(response.statusCode).toBe(202);
  await response.body.dump();
  return (await created).payload.id;
}

const collect = (id: string) => {
  const messages: any[] = [];
  helper.getNode(id).on('input', (msg: any) => messages.push(msg));
  return messages;
};

describe('Node-RED incident events node', () => {
  it('emits each event once as msg.topic / msg.payload, filtered by kind per node', async () => {
    await helper.load(nodes as never, flow, { src: { secret } });
    const owners = collect('owners-out');
    const all = collect('all-out');
    const incidentId = await createIncident();
    const store = await (helper.getNode('store') as unknown as IntakeStoreNode).store();
    await setOwner(store, 'acme', incidentId, 'alice', 'lead');
    await addEvidence(store, 'acme', incidentId, { kind: 'note', value: 'seen in the logs' }, 'lead');
    await expect.poll(() => all.map((msg) => msg.topic), { timeout: 20_000 }).toEqual(['incident.owner_changed', 'evidence.added']);
    expect(owners.map((msg) => msg.topic)).toEqual(['incident.owner_changed']);
    expect(owners[0]).toMatchObject({ eventId: all[0].payload.id, incidentId, attempt: 1, payload: { kind: 'incident.owner_changed', tenant: 'acme', actor: 'lead', details: { from: null, to: 'alice' }, incident: { title: 'Payments down', owner: 'alice' } } });
    expect(all[1].payload.details).toMatchObject({ kind: 'note', value: 'seen in the logs' });
    // Nothing is sent twice by later polls.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(all).toHaveLength(2);
    expect(owners).toHaveLength(1);
  });

  it('refuses an unknown kind with a red status and an error, without taking the flow down', async () => {
    await helper.load(nodes as never, flow, { src: { secret } });
    const bad = helper.getNode('bad') as any;
    expect(bad).toBeTruthy();
    const spy = helper.log() as unknown as { args: Array<[{ id?: string; msg?: unknown }]> };
    await expect.poll(() => spy.args.map(([entry]) => entry).filter((entry) => entry.id === 'bad').map((entry) => String(entry.msg)), { timeout: 10_000 }).toEqual([
      expect.stringMatching(/Kinds: "incident.exploded" is not one of incident.acknowledged/),
    ]);
    expect(helper.getNode('everything')).toBeTruthy();
  });
});
