// Figure 2: a real Node-RED runtime (the project's node-red dependency, started by scripts/demo's helper with
// this package linked) on loopback, with two flows deployed side by side: the incident-intake node (PagerDuty
// source, signature verified, SQLite store in the user directory, review mode) and a bare
// `http in → http response` flow. autocannon, in this process (Node-RED runs in its own), sends the same
// distinct signed PagerDuty webhooks to each: first as fast as 16 connections allow (requests/s), then at a
// fixed rate of half the intake node's maximum in that run, for p50 and p99 latency; the bare flow gets the
// same fixed rate, so the latencies compare like with like.
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runFigure } = require('../lib/figure');
const { ROOT } = require('../lib/paths');
const { benchFlows, INTAKE_PATH, BARE_PATH } = require('../lib/node-red-flows');
const { drive } = require('../lib/load');

const CONNECTIONS = 16;

runFigure(async ({ quick, log }) => {
  const { startNodeRed } = require(join(ROOT, 'scripts/demo/node-red-process.js'));
  const userDir = mkdtempSync(join(tmpdir(), 'intake-bench-node-red-'));
  const red = await startNodeRed({ userDir, env: { NODE_RED_ENABLE_TOURS: 'false' } });
  try {
    await red.deploy(benchFlows());
    const intakeUrl = `${red.url}${INTAKE_PATH}`;
    const bareUrl = `${red.url}${BARE_PATH}`;
    const runs = quick ? 2 : 4;
    const seconds = quick ? 2 : 5;
    await drive(intakeUrl, { seconds: quick ? 1 : 3, connections: CONNECTIONS });
    await drive(bareUrl, { seconds: quick ? 1 : 3, connections: CONNECTIONS });
    const max = { intake: [], bare: [] };
    const p50 = { intake: [], bare: [] };
    const p99 = { intake: [], bare: [] };
    const problems = [];
    const check = (label, result) => {
      if (result.non2xx || result.errors) problems.push(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors (${JSON.stringify(result.statusCodes)})`);
      return result;
    };
    for (let run = 0; run < runs; run++) {
      const bare = check('bare max', await drive(bareUrl, { seconds, connections: CONNECTIONS }));
      const intake = check('intake max', await drive(intakeUrl, { seconds, connections: CONNECTIONS }));
      max.bare.push(bare.rps);
      max.intake.push(intake.rps);
      const rate = intake.rps / 2;
      const bareFixed = check('bare fixed', await drive(bareUrl, { seconds, connections: CONNECTIONS, rate }));
      const intakeFixed = check('intake fixed', await drive(intakeUrl, { seconds, connections: CONNECTIONS, rate }));
      p50.bare.push(bareFixed.p50);
      p50.intake.push(intakeFixed.p50);
      p99.bare.push(bareFixed.p99);
      p99.intake.push(intakeFixed.p99);
      log(`run ${run + 1}: max intake ${Math.round(intake.rps)} / bare ${Math.round(bare.rps)} req/s; at ${Math.round(rate)} req/s p50 ${intakeFixed.p50} / ${bareFixed.p50} ms, p99 ${intakeFixed.p99} / ${bareFixed.p99} ms`);
    }
    const latencyRow = (id, name, values) => ({
      id,
      figure: `Node-RED: ${name} latency at half the intake's maximum rate`,
      unit: 'ms',
      format: 'ms',
      measuredLabel: 'intake',
      baselineLabel: 'bare',
      measured: values.intake,
      baseline: values.bare,
      ratio: values.intake.map((value, run) => value / values.bare[run]),
      ratioLabel: 'bare',
    });
    return {
      rows: [
        {
          id: '2a',
          figure: 'Node-RED: signed intake node vs bare http in → http response, max throughput',
          unit: 'req/s',
          format: 'rate',
          measuredLabel: 'intake',
          baselineLabel: 'bare',
          measured: max.intake,
          baseline: max.bare,
          ratio: max.intake.map((value, run) => value / max.bare[run]),
          ratioFormat: 'percent',
          ratioLabel: 'of bare',
          target: { op: '>=', value: 0.7, text: '≥ 70% of bare' },
        },
        latencyRow('2b', 'p50', p50),
        latencyRow('2c', 'p99', p99),
      ],
      notes: [
        `Node-RED ${require(join(ROOT, 'node_modules/node-red/package.json')).version} in its own process; ${runs} runs of ${seconds} s per measurement, ${CONNECTIONS} connections, every request a distinct signed PagerDuty webhook; the intake node verifies, maps, dedupes and stores each (review mode, SQLite in the user directory) and sends its review message along a wire (to a junction); the bare flow answers with the parsed body.`,
        problems.length ? `Answers that were not 2xx: ${problems.join('; ')}.` : 'Every answer was 2xx.',
      ],
    };
  } finally {
    await red.stop();
    rmSync(userDir, { recursive: true, force: true });
  }
});
