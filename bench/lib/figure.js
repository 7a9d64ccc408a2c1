// The child-process side of one figure: runs it, writes its rows as JSON where the runner asked.
// Rows: { id, figure, unit, measured[], baseline[], ratio[], ratioLabel, target?: { op: '<='|'>='|'<', value, text },
//         measuredLabel, baselineLabel, format, notes[] } — every number is a measured value, one per run.
'use strict';
const { writeFileSync } = require('node:fs');
const { loadavg } = require('node:os');

const QUICK = process.env.BENCH_QUICK === '1';

function log(message) {
  process.stderr.write(`  ${message}\n`);
}

/** Samples the 1-minute load average while a figure runs; the runner reports the highest. */
function loadSampler() {
  const samples = [loadavg()[0]];
  const timer = setInterval(() => samples.push(loadavg()[0]), 2000);
  timer.unref();
  return { stop: () => (clearInterval(timer), samples.push(loadavg()[0]), samples) };
}

function runFigure(main) {
  const sampler = loadSampler();
  const context = { quick: QUICK, log };
  Promise.resolve()
    .then(() => main(context))
    .then(
      (result) => {
        const payload = { ...result, load: sampler.stop() };
        if (process.env.BENCH_RESULT) writeFileSync(process.env.BENCH_RESULT, JSON.stringify(payload, null, 2));
        else console.log(JSON.stringify(payload, null, 2));
        process.exit(0);
      },
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
}

module.exports = { runFigure, log, QUICK };
