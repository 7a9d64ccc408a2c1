// Profiles figure 2's Node-RED process under load: starts Node-RED with --cpu-prof, deploys the figure's flows,
// drives one route with autocannon (16 connections, distinct signed PagerDuty webhooks) from this process,
// stops Node-RED and prints the CPU per request (from /proc) and how it splits into pipeline (handleIntake),
// adapter and host, with the heaviest frames of each.
//
//   npm run build && npx node bench/profile/node-red.js [intake|bare] [seconds]
//
// The .cpuprofile is kept (its path is printed) for Chrome DevTools.
'use strict';
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { ROOT } = require('../lib/paths');
const { benchFlows, INTAKE_PATH, BARE_PATH } = require('../lib/node-red-flows');
const { drive } = require('../lib/load');
const { cpuSecondsOf } = require('../lib/proc-cpu');
const { breakdown } = require('../lib/cpu-profile-breakdown');

/** Now on the monotonic clock V8's profiles use, in µs. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

async function main() {
  const route = process.argv[2] ?? 'intake';
  const seconds = Number(process.argv[3] ?? 10);
  const { startNodeRed } = require(join(ROOT, 'scripts/demo/node-red-process.js'));
  const userDir = mkdtempSync(join(tmpdir(), 'intake-profile-node-red-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'intake-profile-cpu-'));
  const red = await startNodeRed({ userDir, env: { NODE_RED_ENABLE_TOURS: 'false' }, execArgv: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] });
  let result;
  let cpu;
  const window = {};
  try {
    await red.deploy(benchFlows());
    const url = `${red.url}${route === 'bare' ? BARE_PATH : INTAKE_PATH}`;
    await drive(url, { seconds: 2, connections: 16 });
    const before = cpuSecondsOf([red.child.pid]);
    window.from = monotonicMicros();
    result = await drive(url, { seconds, connections: 16 });
    window.to = monotonicMicros();
    cpu = cpuSecondsOf([red.child.pid]) - before;
  } finally {
    await red.stop();
    rmSync(userDir, { recursive: true, force: true });
  }
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  const { totals, top } = breakdown(JSON.parse(readFileSync(join(profileDir, file), 'utf8')), window);
  const requests = result.rps * seconds;
  const busy = Object.entries(totals).reduce((sum, [name, micros]) => (name === 'idle' ? sum : sum + micros), 0);
  console.log(`${route}: ${Math.round(result.rps)} req/s, ${result.non2xx} non-2xx, ${result.errors} errors`);
  console.log(`Node-RED process CPU (/proc, all threads): ${Math.round((cpu / requests) * 1e6)} µs/request; main thread busy (profile): ${Math.round(busy / requests)} µs/request`);
  console.log('main thread per request:');
  for (const [name, micros] of Object.entries(totals)) {
    if (name !== 'idle') console.log(`  ${name.padEnd(9)} ${String(Math.round(micros / requests)).padStart(5)} µs  ${((100 * micros) / busy).toFixed(1).padStart(5)}%`);
  }
  for (const [category, frames] of Object.entries(top)) {
    console.log(`\nheaviest ${category} frames (self time, % of busy):`);
    for (const [frame, micros] of frames.slice(0, 15)) console.log(`  ${((100 * micros) / busy).toFixed(2).padStart(6)}%  ${frame}`);
  }
  console.log(`\nprofile: ${join(profileDir, file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
