// Figure 9: what more Node-RED instances buy on one PostgreSQL store. One Node-RED, then three (each its own
// process and user directory, the same flow), behind the same round-robin proxy on loopback; the flow takes
// signed PagerDuty webhooks (auto-create: each a new incident) and delivers every incident through a webhook
// out node to a receiver in its own process. autocannon sends distinct signed webhooks for a few seconds over
// 16 connections (events/s accepted, wall clock); the deliveries those requests enqueued are then drained and
// timed from the first enqueue to the last delivery (deliveries/s, wall clock, read from the database).
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { runFigure } = require('../lib/figure');
const { ROOT } = require('../lib/paths');
const { drive } = require('../lib/load');
const { SECRETS } = require('../lib/payloads');
const { startReceiver } = require('../lib/receiver');
const { startProxy } = require('../lib/round-robin-proxy');
const { postgresCluster, cleanSupport } = require('../lib/support');

const CONNECTIONS = 16;
const INTAKE_PATH = '/intake/pagerduty';
const { Client } = require(join(ROOT, 'node_modules', 'pg'));

function scaleFlow(storeUrl, receiverUrl) {
  return [
    { id: 'scale-tab', type: 'tab', label: 'scale-out bench' },
    { id: 'scale-store', type: 'intake-store', name: 'shared PostgreSQL', credentials: { postgresUrl: storeUrl } },
    {
      id: 'scale-source', type: 'intake-source', tenant: 'bench', sourceId: 'bench-pagerduty', provider: 'pagerduty', mode: 'auto-create', scheme: 'pagerduty',
      sourcePerHour: '1000000000', tenantPerDay: '1000000000', credentials: { secret: SECRETS.pagerduty },
    },
    { id: 'scale-intake', type: 'incident-intake', z: 'scale-tab', source: 'scale-source', store: 'scale-store', path: INTAKE_PATH, wires: [[], ['scale-deliver'], []] },
    { id: 'scale-deliver', type: 'webhook-out', z: 'scale-tab', store: 'scale-store', tenant: 'bench', url: receiverUrl, scheme: 'none', allowHosts: '127.0.0.1', maxAttempts: '5', wires: [[]] },
  ];
}

async function query(url, sql) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** One measurement: `instances` Node-RED on a fresh database behind the proxy; events/s accepted, then deliveries/s. */
async function measure({ instances, cluster, receiverUrl, seconds, log }) {
  const { startNodeRed } = require(join(ROOT, 'scripts/demo/node-red-process.js'));
  const storeUrl = await cluster.createDatabase();
  const dirs = Array.from({ length: instances }, (_, n) => mkdtempSync(join(tmpdir(), `intake-bench-scale-${n}-`)));
  const reds = [];
  let proxy;
  try {
    // One after the other: the first migrates the new database.
    for (const userDir of dirs) reds.push(await startNodeRed({ userDir, env: { INCIDENT_INTAKE_OUTBOUND_ALLOW: '127.0.0.1' } }));
    for (const red of reds) await red.deploy(scaleFlow(storeUrl, receiverUrl));
    proxy = await startProxy(reds.map((red) => red.url));
    await drive(`${proxy.url}${INTAKE_PATH}`, { seconds: 1, connections: CONNECTIONS });
    const intake = await drive(`${proxy.url}${INTAKE_PATH}`, { seconds, connections: CONNECTIONS });
    const deadline = Date.now() + 300_000;
    for (;;) {
      const [{ open }] = await query(storeUrl, "SELECT count(*) AS open FROM deliveries WHERE state IN ('scheduled', 'in_flight')");
      if (Number(open) === 0) break;
      if (Date.now() > deadline) throw new Error(`${open} deliveries still open after 5 minutes`);
      await sleep(200);
    }
    const [span] = await query(storeUrl, "SELECT count(*) AS delivered, min(created_at) AS first, max(delivered_at) AS last FROM deliveries WHERE state = 'delivered'");
    const deliveriesPerSecond = Number(span.delivered) / ((Number(span.last) - Number(span.first)) / 1000);
    log(`×${instances}: ${Math.round(intake.rps)} events/s accepted, ${Math.round(deliveriesPerSecond)} deliveries/s (${span.delivered} delivered)`);
    return { eventsPerSecond: intake.rps, deliveriesPerSecond, problems: intake.non2xx || intake.errors ? `×${instances}: ${intake.non2xx} non-2xx, ${intake.errors} errors` : undefined };
  } finally {
    await proxy?.close();
    await Promise.allSettled(reds.map((red) => red.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

runFigure(async ({ quick, log }) => {
  const { findPostgresBinaries, PostgresCluster } = postgresCluster();
  const binaries = findPostgresBinaries();
  if (!binaries) {
    cleanSupport();
    return { skipped: 'PostgreSQL binaries (initdb, postgres) not found in $PG_BIN_DIR, on PATH or in /usr/lib/postgresql/*/bin', rows: [] };
  }
  const cluster = await PostgresCluster.start(binaries);
  const receiver = await startReceiver();
  try {
    const runs = quick ? 1 : 3;
    const seconds = quick ? 2 : 5;
    const one = { events: [], deliveries: [] };
    const three = { events: [], deliveries: [] };
    const problems = [];
    for (let run = 0; run < runs; run++) {
      for (const [instances, into] of [[1, one], [3, three]]) {
        const result = await measure({ instances, cluster, receiverUrl: receiver.url, seconds, log });
        into.events.push(result.eventsPerSecond);
        into.deliveries.push(result.deliveriesPerSecond);
        if (result.problems) problems.push(result.problems);
      }
    }
    const row = (id, what, unit, measured, baseline) => ({
      id,
      figure: `Scale-out: three Node-RED on one PostgreSQL vs one, ${what}`,
      unit,
      format: 'rate',
      measuredLabel: '×3',
      baselineLabel: '×1',
      measured,
      baseline,
      ratio: measured.map((value, index) => value / baseline[index]),
      ratioLabel: 'of one',
    });
    return {
      rows: [row('9a', 'signed events accepted (wall clock)', 'events/s', three.events, one.events), row('9b', 'deliveries (wall clock)', 'deliveries/s', three.deliveries, one.deliveries)],
      notes: [
        `Node-RED ${require(join(ROOT, 'node_modules/node-red/package.json')).version}, each instance its own process; one PostgreSQL server (fsync off, as in the tests); the same round-robin proxy in front of one instance and of three; ${runs} runs, ${seconds} s of ${CONNECTIONS} connections of distinct signed PagerDuty webhooks each, auto-create, every incident delivered by a webhook out node (outbox, PostgreSQL leases) to a receiver in its own process.`,
        'On a machine with few cores the instances share the same cores with PostgreSQL, the proxy and the load generator, so the ratio shows how well the store scales across processes rather than what more machines buy; n8n queue mode is exercised by npm run test:scale, not measured here.',
        problems.length ? `Answers that were not 2xx: ${problems.join('; ')}.` : 'Every answer was 2xx.',
      ],
    };
  } finally {
    await receiver.stop();
    await cluster.destroy();
    cleanSupport();
  }
});
