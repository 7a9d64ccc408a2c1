// Profiles the core pipeline's store path in this process: distinct signed PagerDuty requests through
// handleIntake (review mode) on a SQLite file or a throwaway PostgreSQL cluster, with the V8 CPU profiler on
// (the profile `--cpu-prof` writes, taken through the inspector so the warm-up stays out of it). Prints CPU per
// event, statements (SQLite) or round trips (PostgreSQL) per event by kind, where the main thread's time goes
// by core directory, and the heaviest frames.
//
//   npm run build && npx node bench/profile/intake-store.js [sqlite|postgres] [requests] [in-flight]
//
// The .cpuprofile is kept (its path is printed) for Chrome DevTools.
'use strict';
const { Session } = require('node:inspector/promises');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { dist } = require('../lib/paths');
const { signedRequests, sourceInput } = require('../lib/payloads');
const { cpuSecondsSince } = require('../lib/stats');

/** Counts what reaches the engine, by the statement's first keyword (SELECT, INSERT, …). */
function statementCounter() {
  const counts = new Map();
  const note = (sql) => {
    const kind = String(sql).trim().split(/\s+/, 1)[0].toUpperCase();
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  };
  return { counts, note, reset: () => counts.clear() };
}

function countSqlite(counter) {
  const { DatabaseSync, StatementSync } = require('node:sqlite');
  for (const method of ['run', 'get', 'all']) {
    const original = StatementSync.prototype[method];
    StatementSync.prototype[method] = function (...args) {
      counter.note(this.sourceSQL);
      return original.apply(this, args);
    };
  }
  const exec = DatabaseSync.prototype.exec;
  DatabaseSync.prototype.exec = function (sql) {
    counter.note(sql);
    return exec.call(this, sql);
  };
}

/** Every `query` a pg client sends is one round trip (the driver waits for each answer before the next). */
function countPostgres(counter) {
  const { Client } = require('pg');
  const query = Client.prototype.query;
  Client.prototype.query = function (config, ...rest) {
    counter.note(typeof config === 'string' ? config : config?.text ?? '?');
    return query.call(this, config, ...rest);
  };
}

const AREAS = [
  [/\/node_modules\/jsonata\//, 'mapping'],
  [/\/node_modules\/zod\//, 'mapping'],
  [/\/node_modules\/pg(-[a-z]+)?\//, 'store'],
  [/\/dist\/core\/([a-z-]+)\//, null],
];
const SPECIAL = new Map([['(idle)', 'idle'], ['(garbage collector)', 'gc'], ['(program)', 'program']]);

/** Self time per area: each sample goes to the innermost frame of core or a known library on its stack. */
function areas(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const areaOf = (id) => {
    const special = SPECIAL.get(byId.get(id).callFrame.functionName);
    if (special) return special;
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { url } = byId.get(at).callFrame;
      for (const [pattern, name] of AREAS) {
        const match = pattern.exec(url);
        if (match) return name ?? match[1];
      }
    }
    return 'other';
  };
  const totals = new Map();
  const frames = new Map();
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index + 1] ?? 0;
    const area = areaOf(id);
    totals.set(area, (totals.get(area) ?? 0) + micros);
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`;
    frames.set(key, (frames.get(key) ?? 0) + micros);
  });
  return { totals: [...totals].sort((a, b) => b[1] - a[1]), frames: [...frames].sort((a, b) => b[1] - a[1]) };
}

async function openStore(kind, dir) {
  const { openSqliteStore, openPostgresStore } = require(join(dist, 'core/store'));
  if (kind === 'sqlite') return { store: await openSqliteStore(join(dir, 'profile.db')), stop: async () => undefined, serverCpu: () => 0 };
  const { findPostgresBinaries, PostgresCluster } = require('../lib/support').postgresCluster();
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error('PostgreSQL binaries not found');
  const cluster = await PostgresCluster.start(binaries);
  const { cleanSupport } = require('../lib/support');
  const { available, treeCpuSeconds } = require('../lib/proc-cpu');
  const serverCpu = () => (available && cluster.server?.pid ? treeCpuSeconds(cluster.server.pid) : 0);
  return { store: await openPostgresStore(await cluster.createDatabase()), stop: async () => (await cluster.destroy(), cleanSupport()), serverCpu };
}

async function main() {
  const kind = process.argv[2] ?? 'sqlite';
  const count = Number(process.argv[3] ?? 3000);
  const inFlight = Number(process.argv[4] ?? 1);
  const counter = statementCounter();
  if (kind === 'sqlite') countSqlite(counter);
  else countPostgres(counter);
  const { handleIntake } = require(join(dist, 'core/intake/handle-intake'));
  const { defineSource } = require(join(dist, 'core/intake/define-source'));
  const { createNormaliser } = require(join(dist, 'core/mapping'));
  const dir = mkdtempSync(join(tmpdir(), 'intake-profile-store-'));
  const { store, stop, serverCpu } = await openStore(kind, dir);
  const warmup = Math.max(200, Math.round(count / 5));
  const requests = signedRequests('pagerduty', warmup + count);
  const { source, mapping } = defineSource(sourceInput('pagerduty'));
  const normaliser = createNormaliser(mapping);
  const outcomes = {};
  const send = async (slice) => {
    let next = 0;
    const loop = async () => {
      while (next < slice.length) {
        const { body, headers } = slice[next++];
        const outcome = await handleIntake(source, { headers, rawBody: body }, { store, normaliser });
        outcomes[outcome.code] = (outcomes[outcome.code] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, loop));
  };
  await send(requests.slice(0, warmup));
  counter.reset();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const cpu = process.cpuUsage();
  const serverBefore = serverCpu();
  await send(requests.slice(warmup));
  const seconds = cpuSecondsSince(cpu);
  const serverSeconds = serverCpu() - serverBefore;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  await store.close();
  await stop();
  rmSync(dir, { recursive: true, force: true });
  const file = join(mkdtempSync(join(tmpdir(), 'intake-profile-cpu-')), `intake-${kind}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));

  console.log(`${kind}, ${count} PagerDuty requests, ${inFlight} in flight: ${Math.round((seconds / count) * 1e6)} µs CPU per event (this process)${kind === 'sqlite' ? '' : `, ${Math.round((serverSeconds / count) * 1e6)} µs in the PostgreSQL server`}; outcomes ${JSON.stringify(outcomes)}`);
  const total = [...counter.counts.values()].reduce((sum, n) => sum + n, 0);
  const label = kind === 'sqlite' ? 'statements' : 'round trips';
  console.log(`${label} per event: ${(total / count).toFixed(2)} (${[...counter.counts].map(([k, n]) => `${k} ${(n / count).toFixed(2)}`).join(', ')})`);
  const { totals, frames } = areas(profile);
  const busy = totals.reduce((sum, [name, micros]) => (name === 'idle' ? sum : sum + micros), 0);
  console.log('main thread per event (self time by area):');
  for (const [name, micros] of totals) if (name !== 'idle') console.log(`  ${name.padEnd(12)} ${String(Math.round(micros / count)).padStart(5)} µs  ${((100 * micros) / busy).toFixed(1).padStart(5)}%`);
  console.log('heaviest frames (self time, % of busy):');
  for (const [frame, micros] of frames.filter(([name]) => !name.startsWith('(idle)')).slice(0, 20)) console.log(`  ${((100 * micros) / busy).toFixed(2).padStart(6)}%  ${frame}`);
  console.log(`profile: ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
