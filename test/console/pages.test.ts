import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shutdownMappingWorkers } from '../../core/mapping';
import { migrate, SqliteDatabase, storeOn } from '../../core/store';
import { handleIntake } from '../../core/intake/handle-intake';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { promoteEvent } from '../../core/review/promote-event';
import { signRequest } from '../../core/signing';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';
import { seedDeadLetter, signedIn, startConsole, usersByRole, type ConsoleServer } from './support/console-fixture';

let h: IntakeHarness;
let server: ConsoleServer;

beforeEach(async () => {
  h = await intakeHarness();
  server = await startConsole(h.store, await usersByRole());
});
afterEach(async () => {
  await server.close();
  await h.store.close();
});

const auditOf = (type: string, id: string) => h.store.transaction((r) => r.audit.forSubject('acme', type, id));

describe('bulk reject', () => {
  it('counts the filtered selection, then rejects exactly it with one reason, each audited with the reviewer', async () => {
    for (let n = 0; n < 4; n++) await h.send(incidentPayload({ externalId: `HB-${n}`, title: `heartbeat ${n}` }));
    const keep = (await h.send(incidentPayload({ externalId: 'REAL', title: 'Disk full' }))).events[0]!.id;
    const reviewer = await signedIn(server.url, 'reviewer');
    const confirm = await reviewer.get('/queue/bulk-reject?source=src-1&title=heartbeat');
    expect(confirm.text).toContain('<strong>4</strong> pending events match');
    const before = /name="before" value="(\d+)"/.exec(confirm.text)![1]!;
    const done = await reviewer.post('/queue/bulk-reject', { source: 'src-1', title: 'heartbeat', before, reason: 'noisy heartbeats' });
    expect(done.status).toBe(303);
    expect((await reviewer.get('/queue')).text).toContain('Rejected 4 events.');
    const queue = await h.store.transaction((r) => r.events.list('acme', { state: 'pending_review' }));
    expect(queue.map((event) => event.id)).toEqual([keep]);
    const rejected = await h.store.transaction((r) => r.events.list('acme', { state: 'rejected' }));
    expect(rejected).toHaveLength(4);
    for (const event of rejected) expect((await auditOf('event', event.id)).at(-1)).toMatchObject({ action: 'event.rejected', actor: 'reviewer', details: expect.objectContaining({ reason: 'noisy heartbeats' }) });
  });
});

describe('sources', () => {
  it('disables with a reason, and re-enables only after a clean test event', async () => {
    await h.send(incidentPayload()); // registers the source
    const operator = await signedIn(server.url, 'operator');
    await operator.get('/sources');
    expect((await operator.post('/sources/src-1/disable', { reason: 'sender misconfigured' })).status).toBe(303);
    const disabled = await operator.get('/sources');
    expect(disabled.text).toContain('disabled</span>: sender misconfigured');
    expect(disabled.text).toMatch(/<button type="submit" disabled>enable<\/button>/);
    await operator.post('/sources/src-1/enable', {});
    expect((await operator.get('/sources')).text).toContain('needs a clean test event');
    expect((await h.store.transaction((r) => r.sources.get('acme', 'src-1')))!.enabled).toBe(false);
    const raw = Buffer.from(JSON.stringify(incidentPayload()));
    const test = await handleIntake(h.source, { headers: { 'content-type': 'application/json', 'x-incident-intake-test': '1', ...signRequest('standard-webhooks', h.secret, raw, { id: 'msg_test_1' }) }, rawBody: raw, receivedAt: new Date() }, { store: h.store, normaliser: passThroughNormaliser });
    expect(test.code).toBe('test_passed');
    expect((await operator.post('/sources/src-1/enable', {})).status).toBe(303);
    expect((await h.store.transaction((r) => r.sources.get('acme', 'src-1')))!.enabled).toBe(true);
    expect((await auditOf('source', 'src-1')).map((entry) => [entry.action, entry.actor]).slice(-3)).toEqual([['source.disabled', 'operator'], ['source.test_passed', 'system'], ['source.enabled', 'operator']]);
  });

  it('draws the last 24 h as an SVG with a text alternative', async () => {
    await h.send(incidentPayload(), { at: Date.now() });
    await h.send({ externalId: 'Q' }, { at: Date.now() });
    const page = await (await signedIn(server.url, 'viewer')).get('/sources');
    expect(page.text).toMatch(/<svg class="chart"[^>]*role="img" aria-label="src-1 events per hour: 1 accepted, 0 duplicate, 1 quarantined, 0 refused"/);
    expect(page.text).toContain('<rect class="accepted"');
  });
});

describe('destinations and deliveries', () => {
  it('disables and enables a destination, audited; counts dead letters by status before replaying them', async () => {
    const sent = await h.send(incidentPayload());
    const { incident } = await promoteEvent(h.store, 'acme', sent.events[0]!.id, { actor: 'a', reason: 'r' });
    await seedDeadLetter(h.store, 'acme', 'dest-1', incident.id, 'dlv_a', h.now);
    await seedDeadLetter(h.store, 'acme', 'dest-1', incident.id, 'dlv_b', h.now + 1);
    await h.store.transaction(async (r) => {
      await r.deliveries.replayDeadLetters('acme', 'dest-1', { ids: ['dlv_b'] }, h.now);
    });
    const operator = await signedIn(server.url, 'operator');
    await operator.get('/deliveries');
    expect((await operator.post('/destinations/dest-1/disable', { reason: 'receiver migrating' })).status).toBe(303);
    expect((await operator.get('/deliveries')).text).toContain('disabled</span> receiver migrating');
    expect((await operator.post('/destinations/dest-1/enable', {})).status).toBe(303);
    expect((await auditOf('destination', 'dest-1')).map((entry) => [entry.action, entry.actor])).toEqual([['destination.disabled', 'operator'], ['destination.enabled', 'operator']]);
    expect((await operator.get('/deliveries?state=dead_letter')).text).toContain('dlv_a');
    expect((await operator.get('/deliveries?state=dead_letter')).text).not.toContain('dlv_b');
    expect((await operator.get('/deliveries/replay?destination=dest-1&status=500')).text).toContain('<strong>0</strong> dead letters');
    expect((await operator.get('/deliveries/replay?destination=dest-1&status=503')).text).toContain('<strong>1</strong> dead letters');
    expect((await operator.post('/deliveries/replay', { destination: 'dest-1', status: '503' })).status).toBe(303);
    expect((await h.store.transaction((r) => r.deliveries.get('acme', 'dlv_a')))!).toMatchObject({ state: 'scheduled', replays: 1 });
    expect((await auditOf('destination', 'dest-1')).at(-1)).toMatchObject({ action: 'delivery.replayed', actor: 'operator', details: { replayed: 1, lastStatus: 503 } });
    const detail = await operator.get('/deliveries/dlv_a');
    expect(detail.text).toContain('upstream busy');
  });

  it('does not replay a dead letter a newer version of its incident superseded, and says why', async () => {
    const sent = await h.send(incidentPayload());
    const { incident } = await promoteEvent(h.store, 'acme', sent.events[0]!.id, { actor: 'a', reason: 'r' });
    await seedDeadLetter(h.store, 'acme', 'dest-1', incident.id, 'dlv_old', h.now);
    await h.store.transaction(async (r) => {
      const old = (await r.deliveries.get('acme', 'dlv_old'))!;
      await r.deliveries.insert({ ...old, id: 'dlv_new', eventVersion: 2, eventKind: 'incident.updated', idempotencyKey: 'key-dlv_new', state: 'delivered', deadLetteredAt: null, deliveredAt: h.now + 1 });
    });
    const operator = await signedIn(server.url, 'operator');
    await operator.get('/deliveries/dlv_old');
    expect((await operator.post('/deliveries/dlv_old/replay', {})).status).toBe(303);
    expect((await operator.get('/deliveries/dlv_old')).text).toContain('dlv_old was not replayed: version 2 of its incident is delivered (dlv_new), so this older version is superseded.');
    expect((await operator.post('/deliveries/replay', { destination: 'dest-1' })).status).toBe(303);
    expect((await operator.get('/deliveries?destination=dest-1')).text).toContain('Replayed 0 dead letters of dest-1. Skipped 1 superseded by a newer version of their incident');
    expect((await h.store.transaction((r) => r.deliveries.get('acme', 'dlv_old')))!).toMatchObject({ state: 'dead_letter', replays: 0 });
  });

  it('never renders an endpoint URL from a transport error', async () => {
    const sent = await h.send(incidentPayload());
    const { incident } = await promoteEvent(h.store, 'acme', sent.events[0]!.id, { actor: 'a', reason: 'r' });
    await seedDeadLetter(h.store, 'acme', 'dest-1', incident.id, 'dlv_url', h.now, 'connect ECONNREFUSED https://hooks.example/T0/B0/secretpath?token=abc');
    const page = await (await signedIn(server.url, 'viewer')).get('/deliveries');
    expect(page.text).toContain('ECONNREFUSED [endpoint]');
    expect(page.text).not.toContain('secretpath');
  });
});

describe('mapping workbench', () => {
  afterEach(async () => shutdownMappingWorkers());

  it('previews the preset on a stored sample and shows the mapping to copy', async () => {
    await h.send({ id: 'G-1', title: 'Sample for the workbench', severity: 'high' }); // the generic preset's contract
    const viewer = await signedIn(server.url, 'viewer');
    const page = await viewer.get('/workbench?source=src-1');
    expect(page.text).toContain('Sample for the workbench');
    expect(page.text).toContain('1 to review, 0 quarantined');
    expect(page.text).toContain('&quot;provider&quot;: &quot;generic&quot;');
  });

  it('previews an edited JSONata as JSON, with the named quarantine reasons, guarded like any user mapping', async () => {
    const viewer = await signedIn(server.url, 'viewer');
    await viewer.get('/workbench');
    const preview = async (expression: string, sample: unknown) => {
      const answer = await viewer.post('/workbench/preview', { provider: 'generic', expression, sample: JSON.stringify(sample), format: 'json' });
      expect(answer.status).toBe(200);
      return JSON.parse(answer.text);
    };
    const ok = await preview('{ "externalId": id, "title": name, "severity": "high", "status": "open", "detectedAt": "2026-01-01T00:00:00Z" }', { id: 'X-1', name: 'Edited mapping' });
    expect(ok.candidates[0]).toMatchObject({ externalId: 'X-1', title: 'Edited mapping' });
    expect(ok.mapping).toMatchObject({ provider: 'generic', expression: expect.stringContaining('"title": name') });
    const missing = await preview('{ "externalId": id, "title": name }', { id: 'X-2' });
    expect(missing.quarantined[0].reasons.map((reason: { field: string }) => reason.field)).toEqual(expect.arrayContaining(['title', 'severity']));
    const hostile = await preview('( $f := function($n) { 1 + $f($n + 1) }; $f(0) )', {});
    expect(JSON.stringify(hostile.quarantined[0].reasons)).toMatch(/maximum evaluation depth|exceeded/);
    const broken = await preview('{ "title": ', {});
    expect(broken.error).toMatch(/invalid mapping config/);
  });
});

describe('incidents and audit', () => {
  it('shows the next report due as a countdown, overdue in red, with provenance on the incident page', async () => {
    const sent = await h.send(incidentPayload({ title: 'Card payments failing' }));
    const { incident } = await promoteEvent(h.store, 'acme', sent.events[0]!.id, { actor: 'alice', reason: 'real' });
    const { classifyIncident } = await import('../../core/incidents/incident-updates');
    await classifyIncident(h.store, 'acme', incident.id, { doraMajor: true, nis2Significant: true, classifiedAt: h.now }, 'alice');
    const viewer = await signedIn(server.url, 'viewer');
    const list = await viewer.get('/incidents');
    expect(list.text).toContain('DORA major · NIS2 significant');
    expect(list.text).toMatch(/dora\.initial: <span data-due="2026-11-23T16:00:00.000Z" class="overdue">overdue by/);
    const page = await viewer.get(`/incidents/${incident.id}`);
    expect(page.text).toContain(`/events/${sent.events[0]!.id}`);
    expect(page.text).toContain('incident.classified');
  });

  it('filters the trail and reports a chain broken behind the database\'s back', async () => {
    const database = new SqliteDatabase({ path: ':memory:' });
    await migrate(database);
    const store = storeOn(database);
    const local = await startConsole(store, await usersByRole());
    try {
      await store.transaction(async (r) => {
        for (const actor of ['alice', 'bob', 'alice']) await r.audit.append({ tenant: 'acme', at: h.now, actor, action: 'event.rejected', subjectType: 'event', subjectId: `evt_${actor}` });
      });
      const viewer = await signedIn(local.url, 'viewer');
      const filtered = await viewer.get('/audit?actor=alice');
      expect(filtered.text.match(/<td>alice<\/td>/g)).toHaveLength(2);
      expect(filtered.text).not.toContain('<td>bob</td>');
      expect(filtered.text).toContain('Hash chain intact');
      await database.transaction(async (client) => {
        await client.exec('DROP TRIGGER audit_no_update');
        await client.run("UPDATE audit SET actor = 'mallory' WHERE seq = 2");
      });
      expect((await viewer.get('/audit')).text).toContain('Hash chain broken at entry 2');
    } finally {
      await local.close();
      await store.close();
    }
  });
});
