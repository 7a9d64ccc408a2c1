// Profiles figure 4's outbox side alone: `count` deliveries enqueued (not profiled), then a DeliveryWorker
// (concurrency 16) sends them to the loopback receiver process; the worker phase runs under V8's sampling
// profiler (in-process inspector session). Prints deliveries/s, this process's CPU per delivery, the SQLite
// statements' time per delivery (every statement timed) and the heaviest frames by self time.
//
//   npm run build && npx node bench/profile/delivery.js [count] [noop]
//
// `noop` replaces the HTTP transport with one that answers 204 at once: what is left is the store and the worker.
// The .cpuprofile is kept (its path is printed) for Chrome DevTools.
'use strict';
const { Session } = require('node:inspector');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const sqlite = require('node:sqlite');
const { dist } = require('../lib/paths');
const { startReceiver } = require('../lib/receiver');

const statements = new Map();
function timed(key, run) {
  const started = process.hrtime.bigint();
  try {
    return run();
  } finally {
    const entry = statements.get(key) ?? { count: 0, micros: 0 };
    entry.count++;
    entry.micros += Number(process.hrtime.bigint() - started) / 1000;
    statements.set(key, entry);
  }
}
const { exec, prepare } = sqlite.DatabaseSync.prototype;
sqlite.DatabaseSync.prototype.exec = function (sql) {
  return timed(sql.slice(0, 40), () => exec.call(this, sql));
};
sqlite.DatabaseSync.prototype.prepare = function (sql) {
  const statement = prepare.call(this, sql);
  const key = sql.replace(/\s+/g, ' ').slice(0, 60);
  for (const method of ['all', 'get', 'run']) {
    const original = statement[method].bind(statement);
    statement[method] = (...params) => timed(key, () => original(...params));
  }
  return statement;
};

const post = (session, method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

function incident(n) {
  const at = Date.parse('2024-06-10T08:40:00.000Z');
  const key = `jira:acme.atlassian.net:SEC-${n}`;
  const canonical = { provider: 'jira', instance: 'acme.atlassian.net', externalId: `SEC-${n}`, dedupeKey: key, title: 'Payment API returning 503 for EU customers', detectedAt: '2024-06-10T08:39:58.456Z', severity: 'critical', status: 'open', affectedSystems: ['payments-api', 'eu-west-1-edge'], regulatoryRefs: ['DORA Art.19'], sourceUrl: `https://acme.atlassian.net/browse/SEC-${n}`, raw: {} };
  return { id: `inc_${n}`, tenant: 'bench', dedupeKey: key, sourceId: 'jira', provider: 'jira', title: canonical.title, severity: 'critical', status: 'open', canonical, version: 1, owner: null, createdAt: at, updatedAt: at, lastSeenAt: at, resolvedAt: null, becameAwareAt: at, doraMajor: false, doraClassifiedAt: null, nis2Significant: false, nis2ClassifiedAt: null, milestones: {} };
}

async function main() {
  const count = Number(process.argv[2] ?? 20000);
  const noop = process.argv[3] === 'noop';
  const { openSqliteStore } = require(join(dist, 'core/store'));
  const { DeliveryWorker, enqueueDelivery } = require(join(dist, 'core/delivery'));
  const dir = mkdtempSync(join(tmpdir(), 'intake-profile-outbox-'));
  const receiver = await startReceiver();
  const store = await openSqliteStore(join(dir, 'outbox.db'));
  try {
    const destination = { kind: 'webhook', id: 'bench', tenant: 'bench', url: receiver.url, signing: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } };
    for (let n = 0; n < count; n++) await enqueueDelivery(store, { destination, incident: incident(n) });
    statements.clear();
    const transport = noop ? { transport: { send: async () => ({ status: 204, headers: {}, body: Buffer.alloc(0), bodyTruncated: false, json: undefined }), close: async () => undefined } } : {};
    let results = 0;
    let finished;
    const done = new Promise((resolve) => (finished = resolve));
    const worker = new DeliveryWorker({ ...transport, store, destinations: [destination], concurrency: 16, pollIntervalMs: 5, onResult: () => ++results === count && finished() });
    const session = new Session();
    session.connect();
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.start');
    const cpu = process.cpuUsage();
    const started = performance.now();
    await worker.start();
    await done;
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const { profile } = await post(session, 'Profiler.stop');
    await worker.stop();
    const file = join(tmpdir(), `delivery-${process.pid}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(`${Math.round(count / seconds)} deliveries/s; CPU ${((used.user + used.system) / count).toFixed(1)} µs per delivery (system ${(used.system / count).toFixed(1)})`);
    let sqliteMicros = 0;
    for (const { micros } of statements.values()) sqliteMicros += micros;
    console.log(`SQLite statements: ${(sqliteMicros / count).toFixed(1)} µs per delivery`);
    for (const [sql, { count: calls, micros }] of [...statements].sort((a, b) => b[1].micros - a[1].micros).slice(0, 8)) {
      console.log(`  ${(micros / count).toFixed(1).padStart(6)} µs/delivery  ${String(calls).padStart(6)} × ${(micros / calls).toFixed(0).padStart(5)} µs  ${sql}`);
    }
    console.log(`profile: ${file}`);
  } finally {
    await store.close();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
