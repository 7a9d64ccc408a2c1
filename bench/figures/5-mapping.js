// Figure 5: the mapping step on its own.
// 5a: compiled-cache hit vs compile-per-event: `runMapping` with the PagerDuty preset's plan, where the
//     compile-per-event side appends a distinct JSONata comment to the expression each time, so that every
//     event misses the compile cache and goes through the real compile path (parse, forbidden-function walk,
//     function registration) before evaluating. Events per CPU-second.
// 5b: the guard: the same JSONata as a user mapping (an `expression` equal to the preset's text, so it is not
//     trusted) runs in the guarded worker-process pool with its hard deadline; the preset runs in-process.
//     Both through `createNormaliser(...).normalise`, one event at a time; events per CPU-second counting this
//     process and the worker processes, with the added wall-clock latency per event in the notes.
'use strict';
const { join } = require('node:path');
const { runFigure } = require('../lib/figure');
const { dist } = require('../lib/paths');
const { PROVIDERS } = require('../lib/payloads');
const { cpuSecondsSince } = require('../lib/stats');
const { cpuSecondsOf } = require('../lib/proc-cpu');

runFigure(async ({ quick, log }) => {
  const { runMapping } = require(join(dist, 'core/mapping/run-mapping'));
  const { buildMappingPlan } = require(join(dist, 'core/mapping/mapping-plan'));
  const { createNormaliser, getPreset, MappingWorkerPool } = require(join(dist, 'core/mapping'));
  const runs = quick ? 3 : 5;
  const count = quick ? 300 : 2000;
  const payloads = Array.from({ length: count }, (_, n) => JSON.parse(PROVIDERS.pagerduty.body(n)));
  const bindings = { provider: 'pagerduty', timezone: 'UTC', receivedAt: new Date().toISOString() };
  const plan = buildMappingPlan({ provider: 'pagerduty' }).evaluation;
  let unique = 0;
  // JSONata's own time limit is measured with Date.now(): a stalled or clock-stepped host can trip it for a
  // preset. Such events are counted and reported rather than stopping the figure.
  const failures = { cached: 0, compile: 0, inProcess: 0, guarded: 0 };

  const cached = async () => {
    for (const payload of payloads) {
      const result = await runMapping(plan, payload, bindings);
      if (!result.ok) failures.cached++;
    }
  };
  const compilePerEvent = async () => {
    for (const payload of payloads) {
      const result = await runMapping({ ...plan, expression: `${plan.expression}\n/* event ${++unique} */` }, payload, bindings);
      if (!result.ok) failures.compile++;
    }
  };
  const perCpuSecond = async (work) => {
    const cpu = process.cpuUsage();
    await work();
    return count / cpuSecondsSince(cpu);
  };

  const trusted = createNormaliser({ provider: 'pagerduty' });
  const pool = new MappingWorkerPool();
  const guarded = createNormaliser({ provider: 'pagerduty', expression: getPreset('pagerduty').expression }, { pool });
  const context = { tenant: 'bench', sourceId: 'bench-pagerduty', provider: 'pagerduty', receivedAt: new Date() };
  const workerPids = () => pool.workers.map((worker) => worker.child.pid).filter(Boolean);
  const normaliseAll = (normaliser, side) => async () => {
    const pids = workerPids();
    const workersBefore = cpuSecondsOf(pids);
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const payload of payloads) {
      const result = await normaliser.normalise(payload, context);
      if (result.candidates.length !== 1) failures[side]++;
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const respawned = workerPids().some((pid) => !pids.includes(pid));
    const cpuSeconds = cpuSecondsSince(cpu) + (respawned ? 0 : cpuSecondsOf(pids) - workersBefore);
    return { perCpu: count / cpuSeconds, wall: count / wallSeconds };
  };

  await cached();
  await compilePerEvent();
  await normaliseAll(trusted, 'inProcess')();
  await normaliseAll(guarded, 'guarded')();
  const hit = [];
  const miss = [];
  const inProcess = [];
  const inWorker = [];
  const addedUs = [];
  for (let run = 0; run < runs; run++) {
    hit.push(await perCpuSecond(cached));
    miss.push(await perCpuSecond(compilePerEvent));
    const local = await normaliseAll(trusted, 'inProcess')();
    const remote = await normaliseAll(guarded, 'guarded')();
    inProcess.push(local.perCpu);
    inWorker.push(remote.perCpu);
    addedUs.push(1e6 / remote.wall - 1e6 / local.wall);
  }
  await pool.close();
  log(`cache hit ${hit.map(Math.round).join(', ')}; compile per event ${miss.map(Math.round).join(', ')}; in-process ${inProcess.map(Math.round).join(', ')}; guarded ${inWorker.map(Math.round).join(', ')}`);
  return {
    rows: [
      {
        id: '5a',
        figure: 'Mapping: compiled-cache hit vs compile per event (PagerDuty preset)',
        unit: 'events/s per core',
        format: 'rate',
        measured: hit,
        baseline: miss,
        ratio: hit.map((value, run) => value / miss[run]),
        ratioLabel: 'faster',
        notes: [`5a: ${runs} runs of ${count} PagerDuty payloads through runMapping; the baseline compiles the expression for every event.`],
      },
      {
        id: '5b',
        figure: 'Mapping guard: worker-process pool vs in-process (same JSONata)',
        unit: 'events/s per core',
        format: 'rate',
        measured: inWorker,
        baseline: inProcess,
        ratio: inWorker.map((value, run) => value / inProcess[run]),
        ratioFormat: 'percent',
        ratioLabel: 'of in-process',
        notes: [
          `5b: ${runs} runs of ${count} events one at a time through createNormaliser().normalise, CPU of this process and the workers; the guarded side is a user mapping on a pool of 2 worker processes with the 250 ms deadline.`,
          `Wall-clock latency the guard adds per event: ${addedUs.map((value) => Math.round(value)).join(', ')} µs (per run).`,
          `Mappings that failed (JSONata's wall-clock limit tripped by a stalled host, or a worker failure): ${Object.entries(failures).map(([side, n]) => `${side} ${n}`).join(', ')}.`,
        ],
      },
    ],
  };
});
