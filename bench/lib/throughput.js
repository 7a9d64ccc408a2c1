// Pipeline throughput with many requests in flight, SQLite vs PostgreSQL (folded in from the earlier
// bench/store-throughput.js): `count` distinct signed Alertmanager requests through `handleIntake` in this
// process with `concurrency` in flight, each run on an empty database (a new SQLite file; a new PostgreSQL
// schema), runs alternating between the stores so that background load hits both alike. Wall-clock requests/s,
// with per-request latency. The mapping's time limit is raised for this figure: it is wall time, and with many
// requests in flight on a loaded machine it would quarantine valid events, which is not what this measures.
'use strict';
const { join } = require('node:path');
const { dist } = require('./paths');
const { signedRequests, sourceInput } = require('./payloads');

async function concurrentRun(store, requests, concurrency) {
  const { handleIntake } = require(join(dist, 'core/intake/handle-intake'));
  const { defineSource } = require(join(dist, 'core/intake/define-source'));
  const { createNormaliser } = require(join(dist, 'core/mapping'));
  const { source, mapping } = defineSource(sourceInput('alertmanager'));
  const normaliser = createNormaliser(mapping, { timeoutMs: 10_000 });
  const latencies = [];
  const outcomes = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const { body, headers } = requests[next++];
        const sentAt = performance.now();
        const outcome = await handleIntake(source, { headers, rawBody: body }, { store, normaliser });
        outcomes[outcome.code] = (outcomes[outcome.code] ?? 0) + 1;
        latencies.push(performance.now() - sentAt);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await normaliser.close();
  return { rate: requests.length / seconds, latencies, outcomes };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One row: PostgreSQL vs SQLite requests/s with `concurrency` in flight. */
async function storesUnderConcurrency({ id, openSqlite, openPostgres, runs, count, concurrency, log }) {
  const all = signedRequests('alertmanager', (runs + 1) * 2 * count, 50_000_000);
  let offset = 0;
  const take = () => all.slice(offset, (offset += count));
  const results = { sqlite: [], postgres: [] };
  const outcomes = {};
  const runOn = async (open, side, record) => {
    const store = await open();
    try {
      const result = await concurrentRun(store, take(), concurrency);
      for (const [code, n] of Object.entries(result.outcomes)) outcomes[code] = (outcomes[code] ?? 0) + n;
      if (record) results[side].push(result);
    } finally {
      await store.close();
    }
  };
  await runOn(openSqlite, 'sqlite', false);
  await runOn(openPostgres, 'postgres', false);
  for (let run = 0; run < runs; run++) {
    await runOn(openSqlite, 'sqlite', true);
    await runOn(openPostgres, 'postgres', true);
  }
  const rates = (side) => results[side].map((result) => result.rate);
  const latency = (side) => {
    const values = results[side].flatMap((result) => result.latencies);
    return `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms`;
  };
  log(`${concurrency} in flight: PostgreSQL ${rates('postgres').map(Math.round).join(', ')} req/s; SQLite ${rates('sqlite').map(Math.round).join(', ')} req/s`);
  return {
    id,
    figure: `Pipeline with ${concurrency} requests in flight, PostgreSQL vs SQLite (Alertmanager)`,
    unit: 'req/s',
    format: 'rate',
    measuredLabel: 'PostgreSQL',
    baselineLabel: 'SQLite',
    measured: rates('postgres'),
    baseline: rates('sqlite'),
    ratio: rates('postgres').map((value, run) => value / rates('sqlite')[run]),
    ratioFormat: 'percent',
    ratioLabel: 'of SQLite',
    notes: [
      `${id}: ${runs} runs per store of ${count} distinct signed Alertmanager requests through handleIntake with ${concurrency} in flight, wall clock, each run on an empty database, alternating stores; mapping time limit raised to 10 s. Latency per request: PostgreSQL ${latency('postgres')}; SQLite ${latency('sqlite')}. Outcomes ${Object.entries(outcomes).map(([code, n]) => `${n} ${code}`).join(', ')}.`,
    ],
  };
}

module.exports = { storesUnderConcurrency };
