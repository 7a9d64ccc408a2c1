// Floor vs core pipeline, shared by figure 1 (SQLite) and figure 7 (PostgreSQL).
//
// Floor: what any receiver must do at the least: HMAC-SHA256 over the raw body compared in constant time with
// the signature header, JSON.parse, and reading five fields. Core: `handleIntake` from the build, the whole
// pipeline (cap → verify → replay check → source state → budget → parse → JSONata preset → validate → dedupe
// → store write) on the same signed bodies. Both run one request at a time in this process; the rate is
// events per CPU-second (this process, plus the database server's processes when there is one), which is
// what one core sustains and is not skewed by other load on the machine the way a wall-clock rate is.
//
// Durable floor (figure 1): the floor plus what any receiver that answers only after its write is durable must
// do at the least: one ~2 KB row (the raw body) inserted per transaction into a SQLite file opened with the
// store's own pragmas (WAL, synchronous NORMAL, …). Group floor: the same with 16 rows per transaction, the
// least a receiver sharing commits among 16 requests in flight pays.
'use strict';
const { createHmac, timingSafeEqual } = require('node:crypto');
const { join } = require('node:path');
const { dist } = require('./paths');
const { PROVIDERS, SECRETS, signedRequests, sourceInput } = require('./payloads');
const { cpuSecondsSince, summary } = require('./stats');

const SIGNATURE = { pagerduty: ['X-PagerDuty-Signature', 'v1='], alertmanager: ['X-Signature', ''] };

/** The floor over `requests`: returns a checksum of the extracted fields so that nothing is optimised away. */
function floor(providerName, requests, iterations = requests.length) {
  const [header, prefix] = SIGNATURE[providerName];
  const secret = SECRETS[providerName];
  const extract = PROVIDERS[providerName].extract;
  let checksum = 0;
  for (let i = 0; i < iterations; i++) {
    const { body, headers } = requests[i % requests.length];
    const expected = Buffer.from(headers[header].slice(prefix.length), 'hex');
    const actual = createHmac('sha256', secret).update(body).digest();
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw new Error('floor: signature mismatch');
    const fields = extract(JSON.parse(body.toString('utf8')));
    for (const field of fields) checksum += typeof field === 'string' ? field.length : 1;
  }
  return checksum;
}

/**
 * A SQLite file for the durable floor, opened with the store's pragmas from the build, so the floor pays
 * exactly the store's commit settings. Returns `{ insert(rows), close() }`.
 */
function durableFloorTable(path) {
  const { DatabaseSync } = require('node:sqlite');
  const { sqlitePragmas } = require(join(dist, 'core/store/sqlite/sqlite-database'));
  const db = new DatabaseSync(path);
  for (const pragma of sqlitePragmas()) db.exec(pragma);
  db.exec('CREATE TABLE IF NOT EXISTS floor_rows (id TEXT PRIMARY KEY, received_at INTEGER NOT NULL, body BLOB NOT NULL)');
  const statement = db.prepare('INSERT INTO floor_rows (id, received_at, body) VALUES (?, ?, ?)');
  let next = 0;
  return {
    insert(bodies) {
      db.exec('BEGIN IMMEDIATE');
      for (const body of bodies) statement.run(`row-${++next}`, Date.now(), body);
      db.exec('COMMIT');
    },
    close: () => db.close(),
  };
}

/**
 * The durable floor over `requests`: the floor's verify + parse + five fields per request, then its body
 * written durably, `rowsPerTransaction` rows to a commit.
 */
function durableFloor(providerName, requests, iterations, table, rowsPerTransaction) {
  let checksum = 0;
  let pending = [];
  for (let i = 0; i < iterations; i++) {
    const request = requests[i % requests.length];
    checksum += floor(providerName, [request], 1);
    pending.push(request.body);
    if (pending.length === rowsPerTransaction || i === iterations - 1) {
      table.insert(pending);
      pending = [];
    }
  }
  return checksum;
}

/**
 * Runs floor and core alternately `runs` times per provider, after a warm-up, and returns one row per
 * provider. `openStore()` gives a fresh store; `serverCpuSeconds()` the database server's CPU so far.
 */
async function floorVersusCore({ id, storeLabel, openStore, serverCpuSeconds = () => 0, runs, count, floorCount, log, inFlight = 1, firstRow = 0, durable }) {
  const { handleIntake } = require(join(dist, 'core/intake/handle-intake'));
  const { defineSource } = require(join(dist, 'core/intake/define-source'));
  const { createNormaliser } = require(join(dist, 'core/mapping'));
  const rows = [];
  for (const [index, providerName] of ['pagerduty', 'alertmanager'].entries()) {
    const warmup = Math.max(200, Math.round(count / 5));
    const requests = signedRequests(providerName, warmup + runs * count);
    const floorRequests = requests.slice(0, warmup + count);
    const store = await openStore();
    // With `durable` ({ path(), rowsPerTransaction, target }) the row's baseline is the durable (or group) floor.
    const table = durable ? durableFloorTable(durable.path()) : undefined;
    const { source, mapping } = defineSource(sourceInput(providerName));
    const normaliser = createNormaliser(mapping);
    const outcomes = {};
    // `inFlight` loops take the next request as soon as their last one is answered, as a busy host's
    // connections do; with more than one, requests in flight together share the store's commits.
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
    floor(providerName, floorRequests);
    if (table) durableFloor(providerName, floorRequests, warmup, table, durable.rowsPerTransaction);
    await send(requests.slice(0, warmup));
    const measured = [];
    const baseline = [];
    const verifyParse = [];
    const wall = [];
    const mappingUs = [];
    const context = { tenant: source.tenant, sourceId: source.id, provider: source.provider, receivedAt: new Date() };
    for (let run = 0; run < runs; run++) {
      let cpu = process.cpuUsage();
      floor(providerName, floorRequests, floorCount);
      verifyParse.push(floorCount / cpuSecondsSince(cpu));
      if (table) {
        cpu = process.cpuUsage();
        durableFloor(providerName, floorRequests, count, table, durable.rowsPerTransaction);
        baseline.push(count / cpuSecondsSince(cpu));
      } else {
        baseline.push(verifyParse[run]);
      }
      const slice = requests.slice(warmup + run * count, warmup + (run + 1) * count);
      const server = await serverCpuSeconds();
      cpu = process.cpuUsage();
      const started = performance.now();
      await send(slice);
      const seconds = cpuSecondsSince(cpu) + ((await serverCpuSeconds()) - server);
      wall.push(count / ((performance.now() - started) / 1000));
      measured.push(count / seconds);
      // The mapping step alone (JSONata preset + validation) on the same payloads, parsed beforehand.
      const parsed = slice.map(({ body }) => JSON.parse(body.toString('utf8')));
      cpu = process.cpuUsage();
      for (const payload of parsed) await normaliser.normalise(payload, context);
      mappingUs.push((cpuSecondsSince(cpu) * 1e6) / count);
    }
    await store.close();
    table?.close();
    const label = PROVIDERS[providerName].label;
    const floorName = !durable ? 'floor' : durable.rowsPerTransaction > 1 ? 'group floor' : 'durable floor';
    log(`${label} on ${storeLabel}${inFlight > 1 ? ` (${inFlight} in flight)` : ''}: core ${measured.map(Math.round).join(', ')} ev/s per core; ${floorName} ${baseline.map(Math.round).join(', ')}; verify + parse ${verifyParse.map(Math.round).join(', ')}; outcomes ${JSON.stringify(outcomes)}`);
    rows.push({
      id: `${id}${String.fromCharCode(97 + firstRow + index)}`,
      figure: `Core pipeline vs ${floorName}, ${label} (${storeLabel}${inFlight > 1 ? `, ${inFlight} requests in flight` : ''})`,
      unit: 'events/s per core',
      format: 'rate',
      measured,
      baseline,
      ratio: measured.map((value, run) => baseline[run] / value),
      ratioLabel: `the ${floorName}'s cost`,
      target: durable?.target ?? { op: '<=', value: 4, text: '≤ 4× floor' },
      notes: [
        `${label}${inFlight > 1 ? ` (${inFlight} in flight)` : ''}: ${runs} runs of ${count} distinct signed requests (${warmup} warm-up), ${inFlight > 1 ? `${inFlight} in flight` : 'one at a time'}, review mode; verify + parse floor over ${floorCount} verifications of the same requests per run${durable ? `; ${floorName} over ${count} of them per run, ${durable.rowsPerTransaction} row${durable.rowsPerTransaction > 1 ? 's' : ''} per transaction` : ''}.`,
        `Wall-clock core rate ${wall.map(Math.round).join(', ')} events/s; outcomes ${Object.entries(outcomes).map(([code, n]) => `${n} ${code}`).join(', ')}.`,
        breakdown(inFlight > 1 ? `${label} (${inFlight} in flight)` : label, measured, verifyParse, mappingUs, storeLabel, durable ? { name: floorName, rates: baseline } : undefined),
      ],
    });
  }
  return rows;
}

/** Where the pipeline's CPU per event goes, from the medians of this run. */
function breakdown(label, measured, baseline, mappingUs, storeLabel, durable) {
  const median = (values) => summary(values).median;
  const total = 1e6 / median(measured);
  const floorUs = 1e6 / median(baseline);
  const mapping = median(mappingUs);
  const rest = Math.max(0, total - floorUs - mapping);
  const share = (value) => `${Math.round((100 * value) / total)}%`;
  const durableNote = durable ? ` The ${durable.name} costs ${Math.round(1e6 / median(durable.rates))} µs per event, of which ${Math.round(1e6 / median(durable.rates) - floorUs)} µs is its write and commit.` : '';
  return `${label} CPU per event ${Math.round(total)} µs: verify + parse (the floor) ${Math.round(floorUs)} µs (${share(floorUs)}), JSONata preset + validation ${Math.round(mapping)} µs (${share(mapping)}), ${storeLabel} transactions and the rest of the pipeline ${Math.round(rest)} µs (${share(rest)}).${durableNote}`;
}

module.exports = { floor, durableFloor, durableFloorTable, floorVersusCore };
