import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleIntake } from '../../core/intake/handle-intake';
import { parseSourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { openPostgresStore, type Store } from '../../core/store';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';
import { incidentPayload } from '../support/intake-fixture';
import { seedDeadLetter, signedIn, startConsole, usersByRole, type ConsoleServer } from './support/console-fixture';

const support = postgresSupport();

describe.skipIf(!support.binaries)('the console on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let store: Store;
  let server: ConsoleServer;
  const secret = generateStandardWebhookSecret();
  const source = parseSourceConfig({ tenant: 'acme', id: 'src-1', provider: 'generic', auth: { scheme: 'standard-webhooks', secrets: [{ value: secret }] } });
  let sent = 0;
  const send = (payload: unknown) => {
    const raw = Buffer.from(JSON.stringify(payload));
    return handleIntake(source, { headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, raw, { id: `msg_pg_${++sent}` }) }, rawBody: raw, receivedAt: new Date() }, { store, normaliser: passThroughNormaliser });
  };

  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
    store = await openPostgresStore(await cluster.createSchema());
    server = await startConsole(store, await usersByRole());
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await cluster?.destroy();
  });

  it('serves every page, promotes, replays and pages the API by keyset (migration 008 on PostgreSQL)', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) ids.push((await send(incidentPayload({ externalId: `PG-${n}`, title: `PG incident ${n}` }))).events[0]!.id);
    await send({ externalId: 'PG-Q', title: 'no severity' });
    const admin = await signedIn(server.url, 'admin');
    const queue = await admin.get('/queue?limit=2');
    expect(queue.text).toContain('3 pending');
    expect(queue.text.match(/<article class="card"/g)).toHaveLength(2);
    const next = /rel="next" href="\/queue\?limit=2&amp;after=([^"]+)"/.exec(queue.text)![1]!;
    expect((await admin.get(`/queue?limit=2&after=${next}`)).text).toContain(ids[0]!);
    expect((await admin.post(`/events/${ids[2]}/promote`, { reason: 'pg check' })).status).toBe(303);
    const incident = (await store.transaction((r) => r.events.get('acme', ids[2]!)))!.incidentId!;
    await seedDeadLetter(store, 'acme', 'dest-1', incident, 'dlv_pg', Date.now());
    for (const path of ['/quarantine', '/sources', '/workbench?source=src-1', '/deliveries', '/deliveries/dlv_pg', `/incidents/${incident}`, '/incidents?view=recent', '/audit?actor=admin', '/deliveries/replay?destination=dest-1', '/api-tokens']) {
      const page = await admin.get(path);
      expect(page.status, `${path}: ${page.text.slice(0, 300)}`).toBe(200);
    }
    expect((await admin.get('/quarantine')).text).toContain('is required');
    expect((await admin.get('/audit')).text).toContain('Hash chain intact');
    expect((await admin.get('/deliveries/replay?destination=dest-1')).text).toContain('<strong>1</strong> dead letters');
    await admin.get('/deliveries/replay?destination=dest-1');
    expect((await admin.post('/deliveries/replay', { destination: 'dest-1' })).status).toBe(303);
    expect((await store.transaction((r) => r.deliveries.get('acme', 'dlv_pg')))!.state).toBe('scheduled');
    await admin.get('/api-tokens');
    const token = /<pre>(iit_[^<]+)<\/pre>/.exec((await admin.post('/api-tokens', { name: 'pg' })).text)![1]!;
    const api = await (await fetch(`${server.url}/api/v1/review-queue?limit=1`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(api.items).toHaveLength(1);
    const second = await (await fetch(`${server.url}/api/v1/review-queue?limit=1&after=${api.next}`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(second.items[0].id).not.toBe(api.items[0].id);
  });
});
