import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handleIntake } from '../../core/intake/handle-intake';
import { parseSourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { startScheduledCleanup, type ScheduledCleanup, type Timer } from '../../core/retention/scheduled-cleanup';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { PostgresDatabase, SqliteDatabase, type Store } from '../../core/store';
import { migratedStore } from '../../core/store/store';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';

const DAY = 86_400_000;
const DAY_1 = Date.parse('2026-03-02T08:00:00.000Z');
const SECRET = generateStandardWebhookSecret();
const onDay = (day: number, hours = 0) => DAY_1 + (day - 1) * DAY + hours * 3_600_000;

/** A timer the test fires by hand: it records what was armed, and for how long. */
class ManualTimer implements Timer {
  armed: { run: () => void; ms: number }[] = [];
  set(run: () => void, ms: number) {
    const entry = { run, ms };
    this.armed.push(entry);
    return entry;
  }
  clear(handle: unknown) {
    this.armed = this.armed.filter((entry) => entry !== handle);
  }
  /** Fires the one armed timer. */
  fire() {
    expect(this.armed).toHaveLength(1);
    this.armed.shift()!.run();
  }
}

const support = postgresSupport();
let cluster: PostgresCluster | undefined;
const tmp = mkdtempSync(join(tmpdir(), 'scheduled-cleanup-'));
beforeAll(async () => {
  if (support.binaries) cluster = await PostgresCluster.start(support.binaries);
});
afterAll(async () => {
  await cluster?.destroy();
  rmSync(tmp, { recursive: true, force: true });
});

let files = 0;
/** Two stores (two "processes") on one database. */
const engines = [
  {
    name: 'SQLite',
    skip: false,
    async openPair(): Promise<[Store, Store]> {
      const path = join(tmp, `store-${++files}.sqlite`);
      const first = await migratedStore(new SqliteDatabase({ path }));
      return [first, await migratedStore(new SqliteDatabase({ path }))];
    },
  },
  {
    name: 'PostgreSQL',
    skip: !support.binaries,
    async openPair(): Promise<[Store, Store]> {
      const url = await cluster!.createSchema();
      const first = await migratedStore(new PostgresDatabase({ connectionString: url }));
      return [first, await migratedStore(new PostgresDatabase({ connectionString: url }))];
    },
  },
];

describe.each(engines)('scheduled retention cleanup ($name)', ({ openPair, skip }) => {
  let stores: Store[] = [];
  let schedulers: ScheduledCleanup[] = [];
  afterEach(async () => {
    for (const scheduler of schedulers) await scheduler.stop();
    for (const store of stores) await store.close();
    stores = [];
    schedulers = [];
  });

  /** Sends a payload the pass-through normaliser quarantines (no title, no severity): disposable once old. */
  async function sendQuarantined(store: Store, tenant: string, externalId: string, at: number) {
    const source = parseSourceConfig({ id: 'src', tenant, provider: 'generic', auth: { scheme: 'standard-webhooks', secrets: [{ value: SECRET }] } });
    const rawBody = Buffer.from(JSON.stringify({ externalId }));
    const headers = { 'content-type': 'application/json', ...signRequest('standard-webhooks', SECRET, rawBody, { id: `msg-${tenant}-${externalId}`, timestamp: Math.floor(at / 1000) }) };
    const answer = await handleIntake(source, { headers, rawBody, receivedAt: new Date(at) }, { store, normaliser: passThroughNormaliser });
    expect(answer.events[0]?.state).toBe('quarantined');
  }

  function scheduler(store: Store, clock: { now(): number }, holder: string, timer = new ManualTimer()) {
    const lines: string[] = [];
    const warnings: string[] = [];
    const scheduled = startScheduledCleanup({ store: async () => store, olderThanDays: 30, holder, clock, timer, log: { info: (l) => lines.push(l), warn: (l) => warnings.push(l) } });
    schedulers.push(scheduled);
    return { scheduled, lines, warnings, timer };
  }

  it.skipIf(skip)('two processes on one store: only one runs a given day, every tenant is cleaned and logged', async () => {
    stores = await openPair();
    const [a, b] = stores as [Store, Store];
    await sendQuarantined(a, 'acme', 'Q1', onDay(1));
    await sendQuarantined(a, 'acme', 'Q2', onDay(1));
    await sendQuarantined(b, 'beta', 'Q3', onDay(1));
    await sendQuarantined(a, 'acme', 'recent', onDay(39));
    const clock = { time: onDay(40, 3), now: () => clock.time };
    const first = scheduler(a, clock, 'process-a');
    const second = scheduler(b, clock, 'process-b');

    const outcomes = await Promise.all([first.scheduled.runDue(), second.scheduled.runDue()]);
    const ran = outcomes.filter((outcome) => outcome.ran);
    expect(ran).toHaveLength(1);
    expect(outcomes.find((outcome) => !outcome.ran)).toMatchObject({ day: '2026-04-10', reason: 'claimed-elsewhere' });
    expect(ran[0]).toMatchObject({ ran: true, day: '2026-04-10', removed: { acme: { events: 2, receipts: 2 }, beta: { events: 1, receipts: 1 } } });
    const lines = [...first.lines, ...second.lines];
    expect(lines).toHaveLength(2);
    expect(lines.find((line) => line.includes('tenant acme'))).toMatch(/removed 2 event\(s\), 2 request body\(ies\)/);
    expect(await a.transaction((r) => r.events.countByState('acme'))).toEqual({ quarantined: 1 });
    expect(await a.transaction((r) => r.events.countByState('beta'))).toEqual({});

    // Later the same day neither runs again; the next day one does.
    clock.time = onDay(40, 12);
    expect(await first.scheduled.runDue()).toMatchObject({ ran: false, reason: 'claimed-elsewhere' });
    expect(await second.scheduled.runDue()).toMatchObject({ ran: false, reason: 'claimed-elsewhere' });
    clock.time = onDay(41, 1);
    const nextDay = await Promise.all([second.scheduled.runDue(), first.scheduled.runDue()]);
    expect(nextDay.filter((outcome) => outcome.ran)).toHaveLength(1);
    expect(await a.transaction((r) => r.scheduledJobs.lastRun('retention-cleanup'))).toMatchObject({ day: '2026-04-11' });
    expect(first.warnings).toEqual([]);
    expect(second.warnings).toEqual([]);
  });

  it.skipIf(skip)('runs from its timer: first check after the start-up delay, then every check interval', async () => {
    stores = await openPair();
    const [a] = stores as [Store, Store];
    await sendQuarantined(a, 'acme', 'Q1', onDay(1));
    const clock = { time: onDay(35), now: () => clock.time };
    const timer = new ManualTimer();
    const lines: string[] = [];
    const scheduled = startScheduledCleanup({ store: async () => a, olderThanDays: 30, clock, timer, firstCheckAfterMs: 5000, checkEveryMs: 7000, log: { info: (l) => lines.push(l), warn: (l) => lines.push(`warn: ${l}`) } });
    schedulers.push(scheduled);
    expect(timer.armed.map((entry) => entry.ms)).toEqual([5000]);
    timer.fire();
    await expect.poll(() => timer.armed.map((entry) => entry.ms)).toEqual([7000]);
    expect(lines).toEqual([expect.stringMatching(/tenant acme.*removed 1 event\(s\)/)]);
    await scheduled.stop();
    expect(timer.armed).toEqual([]);
    expect(await scheduled.runDue()).toMatchObject({ ran: false, reason: 'stopped' });
  });

  it.skipIf(skip)('a store error is logged, never thrown, and the next check still comes', async () => {
    stores = await openPair();
    const [a] = stores as [Store, Store];
    const clock = { time: onDay(35), now: () => clock.time };
    const timer = new ManualTimer();
    const warnings: string[] = [];
    let failing = true;
    const scheduled = startScheduledCleanup({
      store: async () => {
        if (failing) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        return a;
      },
      olderThanDays: 30,
      clock,
      timer,
      log: { info: () => undefined, warn: (l) => warnings.push(l) },
    });
    schedulers.push(scheduled);
    timer.fire();
    await expect.poll(() => timer.armed.length).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/retention \(2026-04-05\) failed, tried again at the next check: connect ECONNREFUSED/)]);
    failing = false;
    expect(await scheduled.runDue()).toMatchObject({ ran: true, removed: {} });
  });
});

describe('scheduled retention cleanup settings', () => {
  it('refuses a retention of less than a day', () => {
    expect(() => startScheduledCleanup({ store: async () => undefined as never, olderThanDays: 0, log: console, timer: new ManualTimer() })).toThrow(/1 or more/);
  });
});
