// `npm run bench`: every benchmark figure, each in its own process, each measured next to its baseline in the
// same run, printed as one Markdown table. A full run writes bench/results/latest.md and the README's
// benchmark block; a partial one (BENCH_ONLY, BENCH_QUICK) writes bench/results/partial.md only.
//
//   BENCH_ONLY=1,4     only these figures
//   BENCH_QUICK=1      short smoke run (a couple of minutes; numbers are not comparable with a full run)
//   BENCH_SKIP_N8N=1   skip figure 3 instead of installing n8n into the cache when it is missing
//
// Figures run in a network namespace with only loopback when the machine allows it (unshare), so nothing a
// benchmarked runtime does can leave 127.0.0.1.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } = require('node:fs');
const { homedir, tmpdir } = require('node:os');
const { delimiter, dirname, join } = require('node:path');
const { ROOT } = require('./lib/paths');
const { machine, loadIsHigh } = require('./lib/machine');
const { renderReport } = require('./lib/report');

const FIGURES = [
  { id: 1, file: 'figures/1-floor-vs-core.js', title: 'Floor vs core pipeline (SQLite)' },
  { id: 2, file: 'figures/2-node-red.js', title: 'Node-RED: intake node vs bare http in → http response' },
  { id: 3, file: 'figures/3-n8n.js', title: "n8n: Incident Intake Trigger vs n8n's Webhook node", prepare: prepareN8n },
  { id: 4, file: 'figures/4-delivery.js', title: 'Delivery: outbox vs raw undici loop (SQLite)' },
  { id: 5, file: 'figures/5-mapping.js', title: 'Mapping: compiled cache and the guard' },
  { id: 6, file: 'figures/6-growth.js', title: 'Growth: RSS and store size with retention running', execArgv: ['--expose-gc'] },
  { id: 7, file: 'figures/7-postgres.js', title: 'PostgreSQL: pipeline, outbox, and many requests in flight vs SQLite' },
  { id: 8, file: 'figures/8-console.js', title: 'Console: review queue page at 10k and 100k events (SQLite)' },
  { id: 9, file: 'figures/9-scale-out.js', title: 'Scale-out: three Node-RED on one PostgreSQL vs one' },
];
const FIGURE_TIMEOUT_MS = 20 * 60_000;

const quick = process.env.BENCH_QUICK === '1';
const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((part) => Number(part.trim()))
  .filter((id) => Number.isInteger(id) && id > 0);
const selected = FIGURES.filter((figure) => only.length === 0 || only.includes(figure.id));
const full = !quick && selected.length === FIGURES.length;

/** A loopback-only network namespace for the figures, when this machine lets us make one. */
function isolation() {
  if (process.platform !== 'linux' || process.env.BENCH_NO_NETNS === '1') return undefined;
  const probe = spawnSync('unshare', ['--net', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
  return probe.status === 0 ? ['unshare', '--net', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"'] : undefined;
}

/** This Node first on PATH for the project's shell scripts, which check the Node version they run under. */
function scriptEnv(extra = {}) {
  return { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, ...extra };
}

/**
 * Figure 3 needs the real n8n from the e2e suite's cache and the package staged as n8n's Community Nodes
 * installer would. Both use the npm registry, so they run here, before the figure's loopback-only namespace.
 */
function prepareN8n(scratch) {
  const version = process.env.N8N_VERSION ?? '2.41.1';
  const n8nDir = join(process.env.INCIDENT_INTAKE_CACHE ?? join(homedir(), '.cache', 'incident-intake'), `n8n-${version}`);
  if (!existsSync(join(n8nDir, '.installed'))) {
    if (process.env.BENCH_SKIP_N8N === '1') return { skip: `n8n ${version} is not installed in ${n8nDir} and BENCH_SKIP_N8N=1 (run bash scripts/n8n/install-n8n.sh, or npm run test:n8n, once)` };
    console.log(`  installing n8n ${version} into ${n8nDir} with scripts/n8n/install-n8n.sh (minutes, once)`);
    const install = spawnSync('bash', [join(ROOT, 'scripts/n8n/install-n8n.sh')], { cwd: ROOT, env: scriptEnv(), stdio: 'inherit' });
    if (install.status !== 0) return { skip: `installing n8n failed (exit ${install.status})` };
  }
  const stage = join(scratch, 'n8n-package');
  const staged = spawnSync('bash', [join(ROOT, 'scripts/n8n/stage-package.sh'), stage], { cwd: ROOT, env: scriptEnv({ npm_config_prefer_offline: 'true' }), encoding: 'utf8' });
  if (staged.status !== 0) return { skip: `staging the package failed: ${(staged.stderr || staged.stdout).trim().split('\n').slice(-3).join(' ')}` };
  return { env: { BENCH_N8N_DIR: n8nDir, BENCH_N8N_PACKAGE: staged.stdout.trim().split('\n').pop() } };
}

function runFigure(figure, prefix, resultDir) {
  const prepared = figure.prepare ? figure.prepare(resultDir) : {};
  if (prepared.skip) return Promise.resolve({ figure, seconds: 0, skipped: prepared.skip, rows: [], load: [] });
  const resultFile = join(resultDir, `figure-${figure.id}.json`);
  const command = [...(prefix ?? []), process.execPath, ...(figure.execArgv ?? []), join(__dirname, figure.file)];
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command[0], command.slice(1), {
      cwd: ROOT,
      env: { ...process.env, ...prepared.env, BENCH_RESULT: resultFile },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), FIGURE_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = Math.round((Date.now() - started) / 1000);
      if (code === 0 && existsSync(resultFile)) {
        resolve({ figure, seconds, ...JSON.parse(readFileSync(resultFile, 'utf8')) });
      } else {
        resolve({ figure, seconds, failed: `the figure's process ended with ${signal ?? `exit code ${code}`}`, rows: [], load: [] });
      }
    });
  });
}

function updateReadme(markdown) {
  const readme = join(ROOT, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const block = `<!-- bench:start -->\n${markdown.trim()}\n<!-- bench:end -->`;
  const pattern = /<!-- bench:start -->[\s\S]*?<!-- bench:end -->/;
  if (pattern.test(text)) {
    writeFileSync(readme, text.replace(pattern, () => block));
  } else {
    const section = `\n## Benchmarks\n\n\`npm run bench\` (not part of \`npm test\`) measures every figure below next to its baseline in the same run and rewrites this block; see [bench/README.md](bench/README.md) for what each figure measures.\n\n${block}\n`;
    writeFileSync(readme, `${text.trimEnd()}\n${section}`);
  }
}

async function main() {
  const started = Date.now();
  const header = machine();
  const prefix = isolation();
  console.log(`Benchmarks${quick ? ' (quick smoke run)' : ''}: figures ${selected.map((figure) => figure.id).join(', ')}`);
  console.log(`${header.summary}${prefix ? '; figures run in a loopback-only network namespace' : ''}\n`);
  const resultDir = mkdtempSync(join(tmpdir(), 'intake-bench-results-'));
  const results = [];
  try {
    for (const figure of selected) {
      console.log(`[${figure.id}] ${figure.title}`);
      const result = await runFigure(figure, prefix, resultDir);
      const high = loadIsHigh(result.load ?? []);
      console.log(`[${figure.id}] ${result.failed ?? result.skipped ?? 'done'} in ${result.seconds} s${high ? `; load average was high (up to ${high.toFixed(1)})` : ''}\n`);
      results.push(result);
    }
  } finally {
    rmSync(resultDir, { recursive: true, force: true });
  }
  const markdown = renderReport({ header, results, quick, full, seconds: Math.round((Date.now() - started) / 1000) });
  console.log(markdown);
  const outDir = join(__dirname, 'results');
  mkdirSync(outDir, { recursive: true });
  if (full) {
    writeFileSync(join(outDir, 'latest.md'), markdown);
    updateReadme(markdown);
    console.log('Wrote bench/results/latest.md and the README benchmark block.');
  } else {
    writeFileSync(join(outDir, 'partial.md'), markdown);
    console.log('Partial or quick run: wrote bench/results/partial.md; latest.md and the README keep the last full run.');
  }
  if (results.some((result) => result.failed)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
