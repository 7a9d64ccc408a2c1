// Figure 6: memory and store growth over a long alert storm, with retention cleanup running.
//
// What it measures, exactly: signed Alertmanager webhook requests, each a group of GROUP alerts, go through
// `handleIntake` in this process (the real pipeline: verify, budget, parse, JSONata preset, validation,
// dedupe, SQLite file store in WAL mode) one request at a time, until EVENTS alerts have been received.
// Requests follow a fixed pattern of ten: seven carry new alerts (new fingerprints: pending review), two
// repeat an earlier group with a changed notification (every alert a duplicate, folded into its pending
// event), one is a sender retry of the previous request, byte for byte (answered from the stored receipt,
// nothing new stored). Every alert counts as an event received, retried ones included.
// Time is simulated: the run spans SPAN_DAYS of received-at times, and every 500 requests the
// retention cleanup (`cleanupRetention`, 1-day retention, and `purgeFinishedDeliveries`) runs at the
// simulated now, removing old duplicate events and the request bodies nothing refers to any more.
// RSS (after a full GC) and the store's size on disk (database + WAL) are read after the first request,
// after 100k events (the baseline for growth: by then V8 and the allocator have reached their working size)
// and at the end. One run: the 1M-event run alone takes minutes.
'use strict';
const { readFileSync, statSync, mkdtempSync, rmSync, existsSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runFigure } = require('../lib/figure');
const { dist, ROOT } = require('../lib/paths');
const { signedHeaders, sourceInput } = require('../lib/payloads');

const GROUP = 50;
const SPAN_DAYS = 10;
const RETENTION_DAYS = 1;
const START = Date.parse('2026-01-05T00:00:00.000Z');

const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/providers/alertmanager.webhook_v4.firing.json'), 'utf8'));
const template = fixture.alerts[0];

/** A group of GROUP alerts numbered from `first`; `notification` distinguishes Alertmanager's re-sends. */
function groupBody(first, notification) {
  const alerts = new Array(GROUP);
  for (let i = 0; i < GROUP; i++) {
    const n = first + i;
    alerts[i] = { ...template, labels: { ...template.labels, instance: `node-${n}` }, fingerprint: n.toString(16).padStart(16, '0') };
  }
  return Buffer.from(JSON.stringify({ ...fixture, groupKey: `${fixture.groupKey}:${first}`, notification_reason: `bench-${notification}`, alerts }));
}

function storeBytes(path) {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) total += statSync(path + suffix).size;
  return total;
}

function rssMb() {
  globalThis.gc?.();
  return process.memoryUsage.rss() / 1024 / 1024;
}

runFigure(async ({ quick, log }) => {
  const { handleIntake } = require(join(dist, 'core/intake/handle-intake'));
  const { defineSource } = require(join(dist, 'core/intake/define-source'));
  const { createNormaliser } = require(join(dist, 'core/mapping'));
  const { openSqliteStore } = require(join(dist, 'core/store'));
  const { cleanupRetention } = require(join(dist, 'core/retention/cleanup'));
  const { purgeFinishedDeliveries } = require(join(dist, 'core/delivery'));

  const total = quick ? 30_000 : 1_000_000;
  const checkpoint = quick ? 10_000 : 100_000;
  const cleanupEvery = quick ? 50 : 500;
  const requests = Math.ceil(total / GROUP);
  const stepMs = (SPAN_DAYS * 86_400_000) / requests;

  const k = (n) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  const dir = mkdtempSync(join(tmpdir(), 'intake-bench-growth-'));
  const path = join(dir, 'growth.db');
  const store = await openSqliteStore(path);
  const { source, mapping } = defineSource(sourceInput('alertmanager'));
  const normaliser = createNormaliser(mapping);
  const outcomes = {};
  const removed = { events: 0, receipts: 0, counters: 0 };
  const samples = {};
  let events = 0;
  let bodyBytes = 0;
  let nextAlert = 0;
  let newGroups = 0;
  let previous;
  let quarantined = 0;
  const series = [];
  const quarantineReasons = new Set();
  let random = 0x2545f491;
  const nextRandom = () => {
    random ^= random << 13;
    random ^= random >>> 17;
    random ^= random << 5;
    return (random >>> 0) / 2 ** 32;
  };
  const sample = (label) => {
    const rss = rssMb();
    const memory = process.memoryUsage();
    const heapMb = memory.heapUsed / 1024 / 1024;
    samples[label] = { events, rssMb: rss, heapMb, heapTotalMb: memory.heapTotal / 1024 / 1024, storeMb: storeBytes(path) / 1024 / 1024, bodyMb: bodyBytes / 1024 / 1024, seconds: performance.now() / 1000 };
    log(`${label}: ${events} events, RSS ${samples[label].rssMb.toFixed(1)} MB (JS heap in use ${heapMb.toFixed(1)} MB), store ${samples[label].storeMb.toFixed(1)} MB`);
  };

  try {
    const started = performance.now();
    for (let request = 0; request < requests; request++) {
      const now = START + request * stepMs;
      const kind = request % 10;
      let body;
      let headers;
      if (kind === 9 && previous) {
        ({ body, headers } = previous);
      } else if ((kind === 3 || kind === 7) && newGroups > 0) {
        const group = Math.floor(nextRandom() * newGroups);
        body = groupBody(group * GROUP, `repeat-${request}`);
        headers = signedHeaders('alertmanager', body);
      } else {
        body = groupBody(nextAlert, 'new');
        headers = signedHeaders('alertmanager', body);
        nextAlert += GROUP;
        newGroups++;
      }
      previous = { body, headers };
      const outcome = await handleIntake(source, { headers, rawBody: body, receivedAt: new Date(now) }, { store, normaliser });
      outcomes[outcome.code] = (outcomes[outcome.code] ?? 0) + 1;
      // A retry is answered with the first request's events: count each quarantine once, where it happened.
      for (const event of outcome.code === 'duplicate' ? [] : (outcome.events ?? [])) {
        if (event.state !== 'quarantined') continue;
        quarantined++;
        for (const reason of event.reasons ?? []) quarantineReasons.add(reason.message);
      }
      events += GROUP;
      bodyBytes += body.length;
      if ((request + 1) % cleanupEvery === 0) {
        const clock = { now: () => now };
        const result = await cleanupRetention(store, { tenant: source.tenant, olderThanDays: RETENTION_DAYS }, clock);
        removed.events += result.events;
        removed.receipts += result.receipts;
        removed.counters += result.counters;
        await purgeFinishedDeliveries(store, source.tenant, RETENTION_DAYS * 86_400_000, { clock });
      }
      if (events === GROUP) sample('first');
      if (events === checkpoint) sample('checkpoint');
      if (events % checkpoint === 0) series.push(`${k(events)} ${rssMb().toFixed(0)}`);
    }
    sample('end');
    const seconds = (performance.now() - started) / 1000;
    const rows = await store.transaction(async (r) => {
      const client = r.events.sql ?? undefined;
      return client ? await client.all('SELECT state, COUNT(*) AS n FROM events GROUP BY state') : [];
    });
    const states = rows.map((row) => `${Number(row.n)} ${row.state}`).join(', ');
    const { first, checkpoint: middle, end } = samples;
    return {
      rows: [
        {
          id: '6a',
          figure: `Growth: RSS after ${k(middle.events)} events (warm-up: V8 and the allocator reach their working size)`,
          unit: 'MB',
          format: 'mb',
          measuredLabel: `at ${k(middle.events)}`,
          baselineLabel: 'after the first request',
          measured: [middle.rssMb],
          baseline: [first.rssMb],
          ratio: [middle.rssMb - first.rssMb],
          ratioFormat: 'mb',
        },
        {
          id: '6b',
          figure: `Growth: RSS after ${k(end.events)} events (duplicates, retries, retention running)`,
          unit: 'MB',
          format: 'mb',
          measuredLabel: `at ${k(end.events)}`,
          baselineLabel: `at ${k(middle.events)}`,
          measured: [end.rssMb],
          baseline: [middle.rssMb],
          ratio: [end.rssMb - middle.rssMb],
          ratioFormat: 'mb',
          target: { op: '<', value: 50, text: `growth < 50 MB from ${k(middle.events)} to ${k(end.events)}` },
          targetValues: [end.rssMb - middle.rssMb],
        },
        {
          id: '6c',
          figure: `Growth: store size after ${k(middle.events)} events`,
          unit: 'MB',
          format: 'mb',
          measuredLabel: 'store',
          baselineLabel: 'bodies received',
          measured: [middle.storeMb],
          baseline: [middle.bodyMb],
          ratio: [middle.storeMb / middle.bodyMb],
          ratioLabel: 'of bodies',
        },
        {
          id: '6d',
          figure: `Growth: store size after ${k(end.events)} events`,
          unit: 'MB',
          format: 'mb',
          measuredLabel: 'store',
          baselineLabel: 'bodies received',
          measured: [end.storeMb],
          baseline: [end.bodyMb],
          ratio: [end.storeMb / end.bodyMb],
          ratioLabel: 'of bodies',
        },
      ],
      notes: [
        `One run of ${events} alert events in ${requests} Alertmanager requests of ${GROUP} alerts (7 in 10 requests new alerts, 2 in 10 repeats of an earlier group, 1 in 10 a byte-for-byte retry), in-process through handleIntake into a SQLite file, ${SPAN_DAYS} simulated days, retention (${RETENTION_DAYS} day) every ${cleanupEvery} requests.`,
        `${Math.round(events / seconds)} events/s wall clock over the run (${Math.round(seconds)} s); answers ${Object.entries(outcomes).map(([code, n]) => `${n} ${code}`).join(', ')}; retention removed ${removed.events} events, ${removed.receipts} request bodies and ${removed.counters} counter windows; events left by state: ${states || 'n/a'}.`,
        quarantined ? `${quarantined} quarantined event(s) (one per request whose mapping failed as a whole): ${[...quarantineReasons].join('; ')} (JSONata's limit is wall-clock time, so a stalled or overloaded host trips it for valid alerts).` : 'No alert was quarantined.',
        `RSS is read after a full GC; growth is counted from the ${k(middle.events)} checkpoint to the end (6a is the climb before it, while V8 grows its reserved heap and the allocator its arenas). JS heap in use after GC: ${first.heapMb.toFixed(1)} MB after the first request, ${middle.heapMb.toFixed(1)} MB at ${k(middle.events)}, ${end.heapMb.toFixed(1)} MB at the end; V8 heap reserved ${middle.heapTotalMb.toFixed(0)} → ${end.heapTotalMb.toFixed(0)} MB. RSS in MB after each ${k(checkpoint)} events: ${series.join(', ')}. Store = database + WAL + shared-memory files.`,
      ],
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
