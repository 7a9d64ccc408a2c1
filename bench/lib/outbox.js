// Outbox throughput vs a raw undici POST loop with the same concurrency, shared by figure 4 (SQLite) and
// figure 7 (PostgreSQL). The receiver runs in its own process and answers 204.
//
// Raw: `concurrency` loops POSTing one prepared JSON body through an undici Agent configured like the
// delivery transport (32 keep-alive connections). Outbox: `count` deliveries enqueued with `enqueueDelivery`
// (not timed), then a `DeliveryWorker` with the same concurrency claims, renders, signs (Standard Webhooks),
// sends and records each one; timed from `start()` until the last `delivered` result.
'use strict';
const { join } = require('node:path');
const { Agent } = require('undici');
const { dist } = require('./paths');

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function incident(n, run) {
  const at = Date.parse('2024-06-10T08:40:00.000Z');
  const key = `jira:acme.atlassian.net:SEC-${run}-${n}`;
  const canonical = {
    provider: 'jira', instance: 'acme.atlassian.net', externalId: `SEC-${run}-${n}`, dedupeKey: key,
    title: 'Payment API returning 503 for EU customers', detectedAt: '2024-06-10T08:39:58.456Z', severity: 'critical', status: 'open',
    affectedSystems: ['payments-api', 'eu-west-1-edge'], regulatoryRefs: ['DORA Art.19', 'GDPR Art.33'], sourceUrl: `https://acme.atlassian.net/browse/SEC-${n}`, raw: {},
  };
  return {
    id: `inc_${run}_${n}`, tenant: 'bench', dedupeKey: key, sourceId: 'jira', provider: 'jira', title: canonical.title, severity: 'critical', status: 'open',
    canonical, version: 1, owner: null, createdAt: at, updatedAt: at, lastSeenAt: at, resolvedAt: null, becameAwareAt: at,
    doraMajor: false, doraClassifiedAt: null, nis2Significant: false, nis2ClassifiedAt: null, milestones: {},
  };
}

async function rawLoop(url, body, count, concurrency) {
  const agent = new Agent({ connections: 32, keepAliveTimeout: 30_000 });
  const target = new URL(url);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const response = await agent.request({ origin: target.origin, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await response.body.dump();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  return count / seconds;
}

async function outbox(store, url, count, concurrency, run) {
  const { DeliveryWorker, enqueueDelivery } = require(join(dist, 'core/delivery'));
  const destination = { kind: 'webhook', id: `bench-${run}`, tenant: 'bench', url, signing: { secret: SECRET } };
  const enqueueStarted = performance.now();
  for (let n = 0; n < count; n++) await enqueueDelivery(store, { destination, incident: incident(n, run) });
  const enqueueRate = count / ((performance.now() - enqueueStarted) / 1000);
  let delivered = 0;
  let other = 0;
  let finished;
  const done = new Promise((resolve) => (finished = resolve));
  const worker = new DeliveryWorker({
    store, destinations: [destination], concurrency, pollIntervalMs: 5,
    onResult: (result) => {
      if (result.status === 'delivered') delivered++;
      else other++;
      if (delivered + other === count) finished();
    },
  });
  const started = performance.now();
  await worker.start();
  await done;
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  if (other > 0) throw new Error(`outbox: ${other} of ${count} deliveries were not delivered at the first attempt`);
  return { rate: count / seconds, enqueueRate };
}

/** Alternates raw and outbox `runs` times after a warm-up of each; one row. */
async function outboxVersusRaw({ id, storeLabel, openStore, runs, count, concurrency, log }) {
  const { startReceiver } = require('./receiver');
  const receiver = await startReceiver();
  const body = Buffer.from(JSON.stringify({ type: 'incident.created', timestamp: new Date().toISOString(), data: incident(0, 0).canonical }));
  const store = await openStore();
  const raw = [];
  const delivered = [];
  const enqueued = [];
  try {
    await rawLoop(receiver.url, body, Math.round(count / 4), concurrency);
    await outbox(store, receiver.url, Math.round(count / 4), concurrency, 'warmup');
    for (let run = 0; run < runs; run++) {
      raw.push(await rawLoop(receiver.url, body, count, concurrency));
      const result = await outbox(store, receiver.url, count, concurrency, run);
      delivered.push(result.rate);
      enqueued.push(result.enqueueRate);
    }
  } finally {
    await store.close();
    await receiver.stop();
  }
  log(`outbox on ${storeLabel}: ${delivered.map(Math.round).join(', ')} deliveries/s; raw ${raw.map(Math.round).join(', ')} requests/s`);
  return {
    id,
    figure: `Outbox delivery vs raw undici POST loop (${storeLabel})`,
    unit: '/s',
    format: 'rate',
    measuredLabel: 'deliveries',
    baselineLabel: 'POSTs',
    measured: delivered,
    baseline: raw,
    ratio: delivered.map((value, run) => value / raw[run]),
    ratioFormat: 'percent',
    ratioLabel: 'of raw',
    target: { op: '>=', value: 0.7, text: '≥ 70% of raw' },
    notes: [
      `Outbox on ${storeLabel}: ${runs} runs of ${count} deliveries, concurrency ${concurrency}, signed (Standard Webhooks), to a loopback receiver process answering 204; the raw loop sends the same number of POSTs with the same concurrency.`,
      `Enqueueing (one transaction per delivery, not timed above): ${enqueued.map(Math.round).join(', ')} /s.`,
    ],
  };
}

module.exports = { outboxVersusRaw };
