// One worker process of the scale-out test, run from the compiled build: an intake endpoint on 127.0.0.1, a
// reviewer that promotes from the shared review queue, and a delivery worker draining the shared outbox.
// Configured through the environment; prints one JSON line per event on stdout.
'use strict';
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const build = process.env.BUILD_DIR;
const load = (module) => require(path.join(build, module));
const { openPostgresStore } = load('core/store');
const { startIntakeServer } = load('cli/demo/intake-server');
const { parseSourceConfig } = load('core/intake/source-config');
const { createNormaliser } = load('core/mapping');
const { listReviewQueue } = load('core/review/review-queue');
const { promoteEvent } = load('core/review/promote-event');
const { ConflictError } = load('core/errors');
const { DeliveryWorker, enqueueDelivery, enqueueDeliveryIn } = load('core/delivery');

const workerId = process.env.WORKER_ID;
const source = parseSourceConfig(JSON.parse(process.env.SOURCE));
const destination = JSON.parse(process.env.DESTINATION);
const tenant = source.tenant;
/** A decision and the enqueue of its delivery are two units of work; the sweep covers a crash between them. */
const SWEEP_EVERY_MS = 1_000;
const SWEEP_WINDOW_MS = 10_000;

function say(message) {
  process.stdout.write(`${JSON.stringify({ worker: workerId, ...message })}\n`);
}

function reportError(where, error) {
  say({ type: 'error', where, name: error && error.name, message: String(error && error.message) });
}

let running = true;

async function main() {
  const store = await openPostgresStore({ connectionString: process.env.STORE_URL, poolSize: 8, applicationName: workerId });
  // The mapping's per-event time limit is wall time: on a loaded 2-core machine 250 ms would quarantine events.
  const normaliser = createNormaliser({ provider: source.provider }, { timeoutMs: 10_000 });
  const worker = new DeliveryWorker({
    store,
    workerId,
    destinations: [destination],
    concurrency: 4,
    pollIntervalMs: 100,
    leaseMarginMs: Number(process.env.LEASE_MARGIN_MS),
    onResult: (result) => say({ type: 'result', key: result.idempotencyKey, status: result.status, httpStatus: result.httpStatus, attempt: result.attempt }),
    onError: (error) => reportError('delivery', error),
  });
  const enqueue = async (incident, via) => {
    const { created } = await enqueueDelivery(store, { destination, incident });
    if (created) say({ type: 'enqueued', incidentId: incident.id, version: incident.version, via });
    worker.wake();
  };
  const server = await startIntakeServer({
    store,
    sources: [{ source, normaliser }],
    onOutcome: (_sourceId, outcome) => void enqueueChanged(store, outcome, enqueue).catch((error) => reportError('enqueue', error)),
  });
  await worker.start();
  const loops = [promoteLoop(store, enqueue), sweepLoop(store, worker)];
  process.on('SIGTERM', async () => {
    running = false;
    await Promise.allSettled(loops);
    await server.close();
    await worker.stop();
    await normaliser.close();
    await store.close();
    process.exit(0);
  });
  say({ type: 'started', url: `${server.url}/intake/${source.id}`, pid: process.pid });
}

/** Incidents an intake request created or updated (an update of a known incident needs no review). */
async function enqueueChanged(store, outcome, enqueue) {
  for (const change of outcome.incidents) {
    const incident = await store.transaction((r) => r.incidents.get(tenant, change.incidentId));
    if (incident) await enqueue(incident, 'intake');
  }
}

/** Works the shared review queue like a reviewer would, a few events at a time, in its own random order. */
async function promoteLoop(store, enqueue) {
  while (running) {
    let queue = [];
    try {
      queue = shuffle(await listReviewQueue(store, tenant, { limit: 100 }));
      for (let start = 0; start < queue.length && running; start += 3) {
        await Promise.all(queue.slice(start, start + 3).map((event) => promoteOne(store, event, enqueue)));
      }
    } catch (error) {
      reportError('review-queue', error);
    }
    if (queue.length === 0) await sleep(50);
  }
}

async function promoteOne(store, event, enqueue) {
  try {
    const result = await promoteEvent(store, tenant, event.id, { actor: workerId, reason: 'scale-out test' });
    say({ type: 'promoted', eventId: event.id, incidentId: result.incident.id, version: result.incident.version, change: result.change });
    if (result.change !== 'unchanged') await enqueue(result.incident, 'promotion');
  } catch (error) {
    if (error instanceof ConflictError) say({ type: 'conflict', eventId: event.id });
    else reportError('promote', error);
  }
}

/** Enqueues (idempotently) the current version of every recently changed incident. */
async function sweepLoop(store, worker) {
  let since = 0;
  while (running) {
    const startedAt = Date.now();
    try {
      const created = await store.transaction(async (r) => {
        const incidents = await r.incidents.list(tenant, { view: 'recent', since, limit: 1000 });
        let count = 0;
        for (const incident of incidents) if ((await enqueueDeliveryIn(r, { destination, incident }, Date.now())).created) count++;
        return count;
      });
      if (created > 0) {
        say({ type: 'swept', created });
        worker.wake();
      }
      since = startedAt - SWEEP_WINDOW_MS;
    } catch (error) {
      reportError('sweep', error);
    }
    await sleep(SWEEP_EVERY_MS);
  }
}

function shuffle(items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

main().catch((error) => {
  say({ type: 'fatal', message: String(error && error.stack) });
  process.exit(1);
});
