import { afterEach, describe, expect, it } from 'vitest';
import { handleIntake } from '../../core/intake/handle-intake';
import { addEvidence, classifyIncident, setOwner } from '../../core/incidents/incident-updates';
import { scanDeadlines, startDeadlineScanner, type DeadlineScanner } from '../../core/lifecycle/deadline-scanner';
import { parseAlertLeads } from '../../core/lifecycle/deadline-alerts';
import { startEventFeed, type FeedDelivery } from '../../core/lifecycle/event-feed';
import type { LifecycleEvent } from '../../core/lifecycle/lifecycle-event';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { recordReport } from '../../core/regulatory/record-report';
import { signRequest } from '../../core/signing';
import type { Store } from '../../core/store';
import type { SourceConfig } from '../../core/intake/source-config';
import { intakeHarness, incidentPayload } from '../support/intake-fixture';
import { storeEngines } from '../retention/store-engines';

const t = (iso: string) => Date.parse(iso);
const AWARE = '2026-03-02T08:00:00.000Z';
const HOUR = 3_600_000;

/** A clock the test moves; the scanner, the feed and every change read it. */
function testClock(start: string) {
  let now = t(start);
  return { now: () => now, set: (iso: string) => (now = t(iso)) };
}

/** A timer that never fires: the test runs each scan and poll itself, at the clock time it set. */
const manualTimer = { set: () => 0, clear: () => undefined };

async function sourceFor(): Promise<{ source: SourceConfig; secret: string }> {
  const h = await intakeHarness({ mode: 'auto-create' });
  await h.store.close();
  return { source: h.source, secret: h.secret };
}

const WEBHOOK = { tenant: 'acme', id: 'ops-hook', kind: 'webhook' };

async function send(store: Store, from: { source: SourceConfig; secret: string }, payload: Record<string, unknown>, iso: string) {
  const raw = Buffer.from(JSON.stringify(payload));
  const headers = { 'content-type': 'application/json', ...signRequest('standard-webhooks', from.secret, raw, { id: `msg_${Math.random()}`, timestamp: Math.floor(t(iso) / 1000) }) };
  const outcome = await handleIntake(from.source, { headers, rawBody: raw, receivedAt: new Date(iso) }, { store, normaliser: passThroughNormaliser, deliverTo: [WEBHOOK] });
  const incidentId = outcome.events[0]?.incidentId;
  if (!incidentId) throw new Error(`no incident: ${JSON.stringify(outcome)}`);
  return incidentId;
}

const engines = storeEngines();

describe.each(engines)('lifecycle events and deadline alerts ($name)', (engine) => {
  let store: Store | undefined;
  const scanners: DeadlineScanner[] = [];
  afterEach(async () => {
    for (const scanner of scanners.splice(0)) await scanner.stop();
    await store?.close();
    store = undefined;
  });

  it.skipIf(engine.skip)('carries a DORA major incident from intake to final report; each alert comes once, at its time, across a restart', async () => {
    store = await engine.open();
    const clock = testClock(AWARE);
    const received: FeedDelivery[] = [];
    const feed = startEventFeed({ store: async () => store!, tenant: 'acme', consumer: 'flow-1', deliver: (batch) => void received.push(...batch), clock, timer: manualTimer, scanner: false });
    await feed.pollNow();
    const at = async (iso: string) => {
      clock.set(iso);
      return feed.pollNow();
    };
    const from = await sourceFor();
    const id = await send(store, from, incidentPayload({ externalId: 'DORA-1', detectedAt: AWARE }), AWARE);
    await send(store, from, incidentPayload({ externalId: 'DORA-1', detectedAt: AWARE, status: 'acknowledged' }), '2026-03-02T08:30:00.000Z');
    await send(store, from, incidentPayload({ externalId: 'DORA-1', detectedAt: AWARE, status: 'acknowledged', title: 'Database down (all regions)' }), '2026-03-02T08:40:00.000Z');
    // Destinations keep their three kinds: the acknowledgement reaches them as an update of the incident.
    const deliveries = await store.transaction((r) => r.deliveries.list('acme', {}));
    expect(deliveries.map((delivery) => [delivery.eventVersion, delivery.eventKind]).sort()).toEqual([
      [1, 'incident.created'],
      [2, 'incident.updated'],
      [3, 'incident.updated'],
    ]);
    expect(deliveries.find((delivery) => delivery.eventVersion === 2)!.payload).toMatchObject({ kind: 'incident.updated', incident: { canonical: { status: 'acknowledged' } } });
    await setOwner(store, 'acme', id, 'oncall-db', 'lead', clock);
    const evidence = await addEvidence(store, 'acme', id, { kind: 'link', value: 'https://status.example.com/1' }, 'lead', clock);
    clock.set('2026-03-02T10:00:00.000Z');
    await classifyIncident(store, 'acme', id, { doraMajor: true }, 'ciso', clock);

    let holder = 0;
    const startScanner = () => {
      const scanner = startDeadlineScanner({ store: async () => store!, tenant: 'acme', leadsMs: parseAlertLeads('2h, 30m'), clock, timer: manualTimer, holder: `process-${++holder}` });
      scanners.push(scanner);
      return scanner;
    };
    let scanner = startScanner();
    const scanAt = async (iso: string) => {
      clock.set(iso);
      const outcome = await scanner.runDue();
      await feed.pollNow();
      return outcome.scanned ? outcome.written.map((event) => `${event.kind}:${event.details.report}:${event.details.lead ?? ''}`) : [];
    };

    // Initial notification due at 14:00 (classification + 4 h), submitted late.
    expect(await scanAt('2026-03-02T11:00:00.000Z')).toEqual([]);
    expect(await scanAt('2026-03-02T12:00:00.000Z')).toEqual(['deadline.approaching:dora.initial:2h']);
    expect(await scanAt('2026-03-02T12:10:00.000Z')).toEqual([]);
    expect(await scanAt('2026-03-02T13:30:00.000Z')).toEqual(['deadline.approaching:dora.initial:30m']);
    // A restart: a new process with its own lease holder scans again and repeats nothing.
    await scanner.stop();
    scanner = startScanner();
    expect(await scanAt('2026-03-02T13:45:00.000Z')).toEqual([]);
    expect(await scanAt('2026-03-02T14:00:00.000Z')).toEqual(['deadline.missed:dora.initial:']);
    expect(await scanAt('2026-03-02T14:10:00.000Z')).toEqual([]);
    clock.set('2026-03-02T14:20:00.000Z');
    await recordReport(store, 'acme', id, { kind: 'dora.initial', reference: 'NCA-1', evidenceIds: [evidence.id] }, 'ciso', clock);

    // Intermediate due 72 h after the initial's submission: 2026-03-05T14:20.
    expect(await scanAt('2026-03-05T12:19:00.000Z')).toEqual([]);
    expect(await scanAt('2026-03-05T12:20:00.000Z')).toEqual(['deadline.approaching:dora.intermediate:2h']);
    // Two processes scanning the same slot: one takes the lease, and a scan without it writes nothing new.
    const second = startDeadlineScanner({ store: async () => store!, tenant: 'acme', clock, timer: manualTimer, holder: 'other-process' });
    scanners.push(second);
    clock.set('2026-03-05T13:50:00.000Z');
    const [one, two] = await Promise.all([scanner.runDue(), second.runDue()]);
    expect([one.scanned, two.scanned].sort()).toEqual([false, true]);
    expect(await scanDeadlines(store, { tenant: 'acme', leadsMs: parseAlertLeads('2h, 30m') }, clock.now())).toEqual([]);
    await feed.pollNow();
    clock.set('2026-03-05T14:00:00.000Z');
    await recordReport(store, 'acme', id, { kind: 'dora.intermediate' }, 'ciso', clock);

    // Final due one month after the latest intermediate: 2026-04-05T14:00, submitted in time.
    expect(await scanAt('2026-03-20T00:00:00.000Z')).toEqual([]);
    expect(await scanAt('2026-04-05T12:00:00.000Z')).toEqual(['deadline.approaching:dora.final:2h']);
    expect(await scanAt('2026-04-05T13:30:00.000Z')).toEqual(['deadline.approaching:dora.final:30m']);
    clock.set('2026-04-05T13:40:00.000Z');
    await recordReport(store, 'acme', id, { kind: 'dora.final' }, 'ciso', clock);
    expect(await scanAt('2026-04-05T15:00:00.000Z')).toEqual([]);
    await at('2026-04-06T00:00:00.000Z');

    const summary = received.map(({ event }) => [event.kind, event.details.report ?? '', event.details.lead ?? '', new Date(event.occurredAt).toISOString()]);
    expect(summary).toEqual([
      ['incident.acknowledged', '', '', '2026-03-02T08:30:00.000Z'],
      ['incident.owner_changed', '', '', AWARE],
      ['evidence.added', '', '', AWARE],
      ['incident.classified', '', '', '2026-03-02T10:00:00.000Z'],
      ['deadline.approaching', 'dora.initial', '2h', '2026-03-02T12:00:00.000Z'],
      ['deadline.approaching', 'dora.initial', '30m', '2026-03-02T13:30:00.000Z'],
      ['deadline.missed', 'dora.initial', '', '2026-03-02T14:00:00.000Z'],
      ['report.submitted', 'dora.initial', '', '2026-03-02T14:20:00.000Z'],
      ['deadline.approaching', 'dora.intermediate', '2h', '2026-03-05T12:20:00.000Z'],
      ['deadline.approaching', 'dora.intermediate', '30m', '2026-03-05T13:50:00.000Z'],
      ['report.submitted', 'dora.intermediate', '', '2026-03-05T14:00:00.000Z'],
      ['deadline.approaching', 'dora.final', '2h', '2026-04-05T12:00:00.000Z'],
      ['deadline.approaching', 'dora.final', '30m', '2026-04-05T13:30:00.000Z'],
      ['report.submitted', 'dora.final', '', '2026-04-05T13:40:00.000Z'],
    ]);
    expect(new Set(received.map(({ event }) => event.id)).size).toBe(received.length);
    expect(received.every(({ attempt }) => attempt === 1)).toBe(true);
    const acknowledged = received[0]!.event;
    expect(acknowledged).toMatchObject({ tenant: 'acme', incidentId: id, actor: expect.any(String), details: { from: 'open', to: 'acknowledged' }, incident: { status: 'acknowledged' } });
    expect(received[1]!.event).toMatchObject({ actor: 'lead', details: { from: null, to: 'oncall-db' } });
    expect(received[3]!.event).toMatchObject({ actor: 'ciso', details: { doraMajor: true, doraClassifiedAt: t('2026-03-02T10:00:00.000Z') }, incident: { doraMajor: true } });
    expect(received[4]!.event).toMatchObject({ actor: null, details: { regime: 'dora', due: '2026-03-02T14:00:00.000Z', leadMs: 2 * HOUR, dueInMs: 2 * HOUR } });
    expect(received[6]!.event.details).toMatchObject({ due: '2026-03-02T14:00:00.000Z', overdueMs: 0 });
    expect(received[7]!.event.details).toMatchObject({ reference: 'NCA-1', evidenceIds: [evidence.id] });
    await feed.stop();
  });

  it.skipIf(engine.skip)('alerts NIS2 deadlines, skipping provisional ones and longer leads a late scan passed', async () => {
    store = await engine.open();
    const from = await sourceFor();
    const id = await send(store, from, incidentPayload({ externalId: 'NIS2-1', detectedAt: AWARE }), AWARE);
    await classifyIncident(store, 'acme', id, { nis2Significant: true }, 'ciso', { now: () => t(AWARE) });
    const scan = async (iso: string) => (await scanDeadlines(store!, { tenant: 'acme', leadsMs: [2 * HOUR, HOUR / 2] }, t(iso))).map((event) => `${event.kind}:${event.details.report}:${event.details.lead ?? ''}`);
    // Early warning due 2026-03-03T08:00 (24 h); the first scan comes 20 min before: only the 30 min lead.
    expect(await scan('2026-03-03T07:40:00.000Z')).toEqual(['deadline.approaching:nis2.early_warning:30m']);
    expect(await scan('2026-03-03T07:50:00.000Z')).toEqual([]);
    expect(await scan('2026-03-05T06:00:00.000Z')).toEqual(['deadline.missed:nis2.early_warning:', 'deadline.approaching:nis2.notification:2h']);
    // The final report's due time is provisional until the notification is submitted: no alert for it.
    expect(await scan('2026-04-10T00:00:00.000Z')).toEqual(['deadline.missed:nis2.notification:']);
  });

  it.skipIf(engine.skip)('feeds each consumer its own copy, filters kinds, and hands back what was not acknowledged', async () => {
    store = await engine.open();
    const clock = testClock(AWARE);
    const from = await sourceFor();
    const all: LifecycleEvent[] = [];
    const onlyOwners: LifecycleEvent[] = [];
    let failNext = true;
    const flaky: FeedDelivery[] = [];
    const feeds = [
      startEventFeed({ store: async () => store!, tenant: 'acme', consumer: 'all', deliver: (batch) => void all.push(...batch.map((entry) => entry.event)), clock, timer: manualTimer, scanner: false }),
      startEventFeed({ store: async () => store!, tenant: 'acme', consumer: 'owners', kinds: ['incident.owner_changed'], deliver: (batch) => void onlyOwners.push(...batch.map((entry) => entry.event)), clock, timer: manualTimer, scanner: false }),
      startEventFeed({
        store: async () => store!,
        tenant: 'acme',
        consumer: 'flaky',
        deliver: (batch) => {
          flaky.push(...batch);
          if (failNext) {
            failNext = false;
            throw new Error('send failed');
          }
        },
        clock,
        timer: manualTimer,
        scanner: false,
        onError: () => undefined,
      }),
    ];
    for (const feed of feeds) await feed.pollNow();
    const id = await send(store, from, incidentPayload({ externalId: 'X-1', detectedAt: AWARE }), AWARE);
    await setOwner(store, 'acme', id, 'alice', 'lead', clock);
    await setOwner(store, 'acme', id, 'alice', 'lead', clock);
    await addEvidence(store, 'acme', id, { kind: 'note', value: 'seen in logs' }, 'lead', clock);
    for (const feed of feeds) await feed.pollNow();
    expect(all.map((event) => event.kind)).toEqual(['incident.owner_changed', 'evidence.added']);
    expect(onlyOwners.map((event) => event.kind)).toEqual(['incident.owner_changed']);
    expect(flaky).toHaveLength(2);
    await feeds[2]!.pollNow();
    expect(flaky.map((entry) => [entry.event.id, entry.attempt])).toEqual([
      [all[0]!.id, 1],
      [all[1]!.id, 1],
      [all[0]!.id, 2],
      [all[1]!.id, 2],
    ]);
    for (const feed of feeds) expect(await feed.pollNow()).toBe(0);

    // A consumer that died after claiming (never acknowledged): another process gets the events after the lease.
    await addEvidence(store, 'acme', id, { kind: 'note', value: 'second note' }, 'lead', clock);
    const query = { tenant: 'acme', consumer: 'all', owner: 'dead-process', kinds: [], now: clock.now(), leaseExpiresAt: clock.now() + 60_000, limit: 10 };
    const leased = await store.transaction((r) => r.lifecycleEvents.claim(query, 0));
    expect(leased.map((entry) => entry.event.kind)).toEqual(['evidence.added']);
    expect(await feeds[0]!.pollNow()).toBe(0);
    clock.set('2026-03-02T08:01:00.000Z');
    expect(await feeds[0]!.pollNow()).toBe(1);
    expect(all.at(-1)!.id).toBe(leased[0]!.event.id);
    expect(await store.transaction((r) => r.lifecycleEvents.acknowledge('acme', 'all', 'dead-process', [leased[0]!.seq], clock.now()))).toBe(0);

    // Two processes polling one subscription at once: each event goes to exactly one of them.
    for (let n = 0; n < 6; n++) await addEvidence(store, 'acme', id, { kind: 'note', value: `note ${n}` }, 'lead', clock);
    const shared: string[] = [];
    const twins = ['process-a', 'process-b'].map((owner) =>
      startEventFeed({ store: async () => store!, tenant: 'acme', consumer: 'all', owner, batchSize: 2, deliver: (batch) => void shared.push(...batch.map((entry) => entry.event.id)), clock, timer: manualTimer, scanner: false }),
    );
    for (let round = 0; round < 4; round++) await Promise.all(twins.map((twin) => twin.pollNow()));
    expect(shared).toHaveLength(6);
    expect(new Set(shared).size).toBe(6);
    for (const twin of twins) await twin.stop();

    // A consumer that subscribes now sees only what comes after.
    const late: LifecycleEvent[] = [];
    const lateFeed = startEventFeed({ store: async () => store!, tenant: 'acme', consumer: 'late', deliver: (batch) => void late.push(...batch.map((entry) => entry.event)), clock, timer: manualTimer, scanner: false });
    expect(await lateFeed.pollNow()).toBe(0);
    await setOwner(store, 'acme', id, 'bob', 'lead', clock);
    expect(await lateFeed.pollNow()).toBe(1);
    expect(late[0]).toMatchObject({ kind: 'incident.owner_changed', details: { from: 'alice', to: 'bob' } });
    for (const feed of [...feeds, lateFeed]) await feed.stop();
  });
});

describe('alert leads', () => {
  it('reads durations and refuses what it cannot read', () => {
    expect(parseAlertLeads('')).toEqual([2 * HOUR, HOUR / 2]);
    expect(parseAlertLeads('30m, 2h 1h30m 90s')).toEqual([2 * HOUR, 1.5 * HOUR, HOUR / 2, 90_000]);
    expect(parseAlertLeads('1d')).toEqual([24 * HOUR]);
    expect(() => parseAlertLeads('2 hours')).toThrow(/not a duration/);
    expect(() => parseAlertLeads('0m')).toThrow(/longer than zero/);
  });
});
