// Outbox throughput to a loopback receiver vs a raw undici POST loop, same concurrency, same process.
// Usage: npx node bench/delivery.js [--count 2000] [--concurrency 16] [--runs 5]
// Compiles the project into node_modules/.cache first (the shared dist/ is left alone). Not part of npm test.
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:http');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { performance } = require('node:perf_hooks');
const { Agent } = require('undici');

const root = resolve(__dirname, '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, index, all) => (index % 2 === 0 ? [...pairs, [value.replace(/^--/, ''), all[index + 1]]] : pairs), []));
const COUNT = Number(args.count ?? 2000);
const CONCURRENCY = Number(args.concurrency ?? 16);
const RUNS = Number(args.runs ?? 5);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

// Inside node_modules/.cache so that the compiled files resolve the project's dependencies.
function compile() {
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(join(cache, 'delivery-bench-'));
  spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), '--outDir', outDir, '--sourceMap', 'false', '--declaration', 'false'], { stdio: 'ignore' });
  return outDir;
}

async function startReceiver() {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(204);
      response.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${server.address().port}/in`, close: () => new Promise((done) => server.close(done)) };
}

function incident(n) {
  const at = Date.parse('2024-06-10T08:40:00.000Z');
  const canonical = {
    provider: 'jira', instance: 'acme.atlassian.net', externalId: `SEC-${n}`, dedupeKey: `jira:acme.atlassian.net:SEC-${n}`,
    title: 'Payment API returning 503 for EU customers', detectedAt: '2024-06-10T08:39:58.456Z', severity: 'critical', status: 'open',
    affectedSystems: ['payments-api', 'eu-west-1-edge'], regulatoryRefs: ['DORA Art.19', 'GDPR Art.33'], sourceUrl: `https://acme.atlassian.net/browse/SEC-${n}`, raw: {},
  };
  return {
    id: `inc_${n}`, tenant: 't1', dedupeKey: canonical.dedupeKey, sourceId: 'jira', provider: 'jira', title: canonical.title, severity: 'critical', status: 'open',
    canonical, version: 1, owner: null, createdAt: at, updatedAt: at, lastSeenAt: at, resolvedAt: null, becameAwareAt: at,
    doraMajor: false, doraClassifiedAt: null, nis2Significant: false, nis2ClassifiedAt: null, milestones: {},
  };
}

async function rawLoop(url, body) {
  const agent = new Agent({ connections: 32, keepAliveTimeout: 30_000 });
  const target = new URL(url);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < COUNT) {
        next++;
        const response = await agent.request({ origin: target.origin, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await response.body.dump();
      }
    }),
  );
  const elapsed = performance.now() - started;
  await agent.close();
  return COUNT / (elapsed / 1000);
}

async function outbox(build, url, dir, run) {
  const { DeliveryWorker, enqueueDelivery } = require(join(build, 'core/delivery'));
  const { openSqliteStore } = require(join(build, 'core/store'));
  const store = await openSqliteStore(join(dir, `bench-${run}.db`));
  const destination = { kind: 'webhook', id: 'bench', tenant: 't1', url, signing: { secret: SECRET } };
  const enqueueStarted = performance.now();
  for (let n = 0; n < COUNT; n++) await enqueueDelivery(store, { destination, incident: incident(n) });
  const enqueueRate = COUNT / ((performance.now() - enqueueStarted) / 1000);
  let delivered = 0;
  let finished;
  const done = new Promise((resolve) => (finished = resolve));
  const worker = new DeliveryWorker({
    store, destinations: [destination], concurrency: CONCURRENCY, pollIntervalMs: 5,
    onResult: (result) => { if (result.status === 'delivered' && ++delivered === COUNT) finished(); },
  });
  const started = performance.now();
  await worker.start();
  await done;
  const elapsed = performance.now() - started;
  await worker.stop();
  await store.close();
  return { deliveryRate: COUNT / (elapsed / 1000), enqueueRate };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const build = compile();
  const dir = mkdtempSync(join(tmpdir(), 'delivery-bench-db-'));
  const receiver = await startReceiver();
  const body = Buffer.from(JSON.stringify({ type: 'incident.created', timestamp: new Date().toISOString(), data: incident(0).canonical }));
  const raw = [];
  const delivered = [];
  const enqueued = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      raw.push(await rawLoop(receiver.url, body));
      const result = await outbox(build, receiver.url, dir, run);
      delivered.push(result.deliveryRate);
      enqueued.push(result.enqueueRate);
    }
  } finally {
    await receiver.close();
    rmSync(build, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (values) => `${Math.round(median(values))}/s (runs: ${values.map((value) => Math.round(value)).join(', ')})`;
  console.log(`node ${process.version}, ${COUNT} requests per run, concurrency ${CONCURRENCY}, median of ${RUNS} runs, loopback receiver answering 204`);
  console.log(`raw undici POST loop:                ${fmt(raw)}`);
  console.log(`outbox worker (SQLite file, signed): ${fmt(delivered)}`);
  console.log(`  enqueue (one transaction each):    ${fmt(enqueued)}`);
  console.log(`outbox / raw: ${(median(delivered) / median(raw)).toFixed(2)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
