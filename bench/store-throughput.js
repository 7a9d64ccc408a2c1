// Intake pipeline throughput on SQLite vs PostgreSQL, measured in the same run: signed request → verify →
// map (Alertmanager preset) → dedupe → store, through handleIntake in-process, each request a new alert.
// Runs alternate between the stores (SQLite, PostgreSQL, SQLite, …) so that background load hits both alike;
// each run starts on an empty database (a new SQLite file; a new PostgreSQL schema).
//
// Usage: npx node bench/store-throughput.js [--count 2000] [--concurrency 16] [--runs 5] [--tenants 1] [--postgres URL]
// --tenants N spreads the requests over N tenants (one source each): a tenant's audit trail is one hash chain,
// so on PostgreSQL one tenant's writes take turns on its chain lock while different tenants' writes do not.
// Without --postgres a throwaway PostgreSQL server is started (initdb/postgres from $PG_BIN_DIR, PATH or
// /usr/lib/postgresql/*/bin, as in the tests; durability off, like the tests' server). Not part of npm test.
// Compiles the project into node_modules/.cache first (the shared dist/ is left alone).
'use strict';
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const { cpus, loadavg, tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { performance } = require('node:perf_hooks');
const { Client } = require('pg');

const root = resolve(__dirname, '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, index, all) => (index % 2 === 0 ? [...pairs, [value.replace(/^--/, ''), all[index + 1]]] : pairs), []));
const COUNT = Number(args.count ?? 2000);
const CONCURRENCY = Number(args.concurrency ?? 16);
const RUNS = Number(args.runs ?? 5);
const TENANTS = Number(args.tenants ?? 1);

/** The project, and the tests' throwaway-server harness, compiled inside node_modules/.cache so that they resolve the project's dependencies. */
function compile() {
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(join(cache, 'store-bench-'));
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--outDir', outDir, '--sourceMap', 'false', '--declaration', 'false'], { stdio: 'ignore' });
  const harness = ['--outDir', join(outDir, 'harness'), '--module', 'commonjs', '--target', 'es2023', '--esModuleInterop', '--skipLibCheck', '--types', 'node'];
  spawnSync(process.execPath, [tsc, join(root, 'test/support/postgres-cluster.ts'), ...harness], { stdio: 'ignore' });
  if (!existsSync(join(outDir, 'core/intake/handle-intake.js'))) throw new Error('the build failed');
  return outDir;
}

/** Where PostgreSQL runs: the given server, or a throwaway one. Each run gets a fresh schema. */
async function postgresTarget(build) {
  if (args.postgres) return { url: args.postgres, close: async () => undefined };
  const { PostgresCluster, findPostgresBinaries } = require(join(build, 'harness/postgres-cluster.js'));
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error('no PostgreSQL server binaries found: install postgresql, set PG_BIN_DIR, or pass --postgres URL');
  const cluster = await PostgresCluster.start(binaries);
  return { url: await cluster.createDatabase(), close: () => cluster.destroy() };
}

async function freshSchema(url) {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${name}`);
  } finally {
    await client.end();
  }
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}options=${encodeURIComponent(`-c search_path=${name}`)}`;
}

function alertmanagerBody(n) {
  return Buffer.from(
    JSON.stringify({
      version: '4',
      groupKey: `{}:{alertname="BenchAlert${n}"}`,
      status: 'firing',
      receiver: 'incident-intake',
      externalURL: 'https://alertmanager.bench.example',
      groupLabels: { alertname: `BenchAlert${n}` },
      commonLabels: {},
      commonAnnotations: {},
      alerts: [
        {
          status: 'firing',
          labels: { alertname: `BenchAlert${n}`, service: `svc-${n % 20}`, severity: 'critical' },
          annotations: { summary: `svc-${n % 20} error ratio above 5%` },
          startsAt: new Date().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: `https://prometheus.bench.example/graph?g0.expr=errors${n}`,
          fingerprint: `${n.toString(16).padStart(16, '0')}`,
        },
      ],
    }),
  );
}

/** COUNT signed requests through handleIntake with CONCURRENCY in flight; returns requests/s and per-request latencies. */
async function pipeline(build, store, run) {
  const { handleIntake } = require(join(build, 'core/intake/handle-intake'));
  const { parseSourceConfig } = require(join(build, 'core/intake/source-config'));
  const { createNormaliser } = require(join(build, 'core/mapping'));
  const { generateStandardWebhookSecret, signRequest } = require(join(build, 'core/signing'));
  const secret = generateStandardWebhookSecret();
  const limits = { tenantPerDay: 10_000_000, sourcePerHour: 10_000_000 };
  const sources = Array.from({ length: TENANTS }, (_, n) =>
    parseSourceConfig({ tenant: `bench-${n}`, id: 'alertmanager', provider: 'alertmanager', auth: { secrets: [{ value: secret }] }, limits }),
  );
  // The mapping's per-event time limit (250 ms) is wall time; on a loaded machine with many requests in flight it
  // would quarantine events, which is not what this measures.
  const normaliser = createNormaliser({ provider: 'alertmanager' }, { timeoutMs: 10_000 });
  const requests = Array.from({ length: COUNT }, (_, n) => {
    const rawBody = alertmanagerBody(run * COUNT + n);
    const headers = { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, rawBody, { id: `msg_${run}_${n}` }) };
    return { source: sources[n % TENANTS], request: { rawBody, headers } };
  });
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const { source, request } = requests[next++];
        const sentAt = performance.now();
        const outcome = await handleIntake(source, request, { store, normaliser });
        if (outcome.code !== 'accepted') throw new Error(`unexpected outcome ${outcome.code}: ${outcome.reason} ${JSON.stringify(outcome.events)}`);
        latencies.push(performance.now() - sentAt);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await normaliser.close();
  return { rate: COUNT / seconds, latencies };
}

const sorted = (values) => [...values].sort((a, b) => a - b);
const median = (values) => sorted(values)[Math.floor(values.length / 2)];
const percentile = (values, p) => sorted(values)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

async function serverVersion(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

async function main() {
  const build = compile();
  const dir = mkdtempSync(join(tmpdir(), 'store-bench-db-'));
  const postgres = await postgresTarget(build);
  const { openSqliteStore, openPostgresStore } = require(join(build, 'core/store'));
  const results = { SQLite: [], PostgreSQL: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      const sqlite = await openSqliteStore(join(dir, `run-${run}.db`));
      results.SQLite.push(await pipeline(build, sqlite, run).finally(() => sqlite.close()));
      const pg = await openPostgresStore({ connectionString: await freshSchema(postgres.url) });
      results.PostgreSQL.push(await pipeline(build, pg, run).finally(() => pg.close()));
    }
    console.log(`node ${process.version}, ${cpus().length} cores (load average ${loadavg()[0].toFixed(1)} at the end), PostgreSQL ${await serverVersion(postgres.url)}${args.postgres ? '' : ' (throwaway server: fsync off, synchronous_commit off)'}`);
  } finally {
    await postgres.close();
    rmSync(build, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `intake pipeline (verify → map → dedupe → store), ${COUNT} new alerts per run over ${TENANTS} tenant(s), ${CONCURRENCY} in flight, ${RUNS} runs alternating between the stores`,
  );
  for (const [name, runs] of Object.entries(results)) {
    const rates = runs.map((result) => result.rate);
    const latencies = runs.flatMap((result) => result.latencies);
    console.log(
      `${name.padEnd(11)} median ${Math.round(median(rates))} req/s (min ${Math.round(Math.min(...rates))}, max ${Math.round(Math.max(...rates))}); ` +
        `latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    );
  }
  console.log(`PostgreSQL / SQLite: ${(median(results.PostgreSQL.map((r) => r.rate)) / median(results.SQLite.map((r) => r.rate))).toFixed(2)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
