// The test suite's own helpers, compiled for the benchmarks by the project's tsc rather than copied: the
// throwaway PostgreSQL cluster (test/support/postgres-cluster.ts) and the real-n8n instance
// (test/n8n/e2e/n8n-instance.ts). Output goes under node_modules/.cache so the compiled files resolve the
// project's dependencies; dist/ is left alone.
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { ROOT } = require('./paths');

const SOURCES = ['test/support/postgres-cluster.ts', 'test/n8n/e2e/n8n-instance.ts'];
const OUT = join(ROOT, 'node_modules', '.cache', 'intake-bench', `support-${process.pid}`);
let compiled = false;

function compileSupport() {
  if (compiled) return;
  mkdirSync(OUT, { recursive: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '--outDir', OUT, '--rootDir', ROOT, '--module', 'commonjs', '--target', 'ES2023', '--moduleResolution', 'node', '--esModuleInterop', '--skipLibCheck', '--types', 'node', '--declaration', 'false', '--sourceMap', 'false', ...SOURCES.map((file) => join(ROOT, file))];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`compiling the test helpers failed:\n${result.stdout}${result.stderr}`);
  compiled = true;
}

/** `test/support/postgres-cluster.ts`, compiled. */
function postgresCluster() {
  compileSupport();
  return require(join(OUT, 'test/support/postgres-cluster.js'));
}

/** `test/n8n/e2e/n8n-instance.ts`, compiled. */
function n8nInstance() {
  compileSupport();
  return require(join(OUT, 'test/n8n/e2e/n8n-instance.js'));
}

/** Removes this process's compiled copy. */
function cleanSupport() {
  require('node:fs').rmSync(OUT, { recursive: true, force: true });
}

module.exports = { postgresCluster, n8nInstance, cleanSupport };
