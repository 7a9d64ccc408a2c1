// Profiles figure 3's n8n process: runs the figure (quick) with n8n started under --cpu-prof and prints where
// the main thread's time went, by package, for the Trigger's and the Webhook node's measurements together.
//
//   npm run build && npx node bench/profile/n8n.js [profile dir]
//
// PROFILE_N8N_ENV='{"N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE":"true"}' adds n8n settings; PROFILE_NO_CPU_PROF=1 measures without the profiler.
//
// Stages the package like the runner (scripts/n8n/stage-package.sh; n8n must be installed in the cache).
'use strict';
const childProcess = require('node:child_process');
const { mkdtempSync, readdirSync, readFileSync } = require('node:fs');
const { homedir, tmpdir } = require('node:os');
const { delimiter, dirname, join } = require('node:path');
const { ROOT } = require('../lib/paths');

const profileDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'intake-profile-n8n-'));
const n8nDir = join(process.env.INCIDENT_INTAKE_CACHE ?? join(homedir(), '.cache', 'incident-intake'), `n8n-${process.env.N8N_VERSION ?? '2.41.1'}`);
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, npm_config_prefer_offline: 'true' };
const staged = childProcess.spawnSync('bash', [join(ROOT, 'scripts/n8n/stage-package.sh'), join(profileDir, 'n8n-package')], { cwd: ROOT, env, encoding: 'utf8' });
if (staged.status !== 0) throw new Error(`staging failed: ${staged.stderr || staged.stdout}`);

const spawn = childProcess.spawn;
childProcess.spawn = (command, args, options) => {
  const starting = Array.isArray(args) && args.at(-1) === 'start' && String(args.at(-2)).includes('n8n');
  if (!starting) return spawn(command, args, options);
  const extraEnv = JSON.parse(process.env.PROFILE_N8N_ENV ?? '{}');
  const execArgv = process.env.PROFILE_NO_CPU_PROF === '1' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  return spawn(command, [...execArgv, ...args], { ...options, env: { ...options.env, ...extraEnv } });
};
process.env.BENCH_N8N_DIR = n8nDir;
process.env.BENCH_N8N_PACKAGE = staged.stdout.trim().split('\n').pop();
process.env.BENCH_QUICK = process.env.BENCH_QUICK ?? '1';
process.env.BENCH_RESULT = join(profileDir, 'figure-3.json');
const exit = process.exit;
process.exit = (code) => {
  for (const file of readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'))) {
    console.log(`${join(profileDir, file)}`);
    summarise(JSON.parse(readFileSync(join(profileDir, file), 'utf8')));
  }
  console.log(readFileSync(process.env.BENCH_RESULT, 'utf8'));
  exit(code);
};
require('../figures/3-n8n.js');

function summarise(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const packageOf = (url) => (url.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? (url ? url.replace(/^.*\//, '') : ''));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index + 1] ?? 0;
    total += micros;
    const { functionName, url } = byId.get(id).callFrame;
    const key = url ? `${packageOf(url)} ${functionName || '(anonymous)'}` : functionName;
    self.set(key, (self.get(key) ?? 0) + micros);
  });
  for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}% ${key}`);
}
