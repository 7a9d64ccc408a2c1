import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Compiles the project with its own tsconfig into a temporary directory (so a shared `dist/` is left alone)
 * and returns that directory. Type errors elsewhere in the tree do not stop the emit; only a missing
 * delivery build does.
 */
export function compileProject(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'delivery-build-'));
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(PROJECT_ROOT, 'tsconfig.json'), '--outDir', outDir, '--sourceMap', 'false', '--declaration', 'false'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (!existsSync(join(outDir, 'core', 'delivery', 'index.js'))) {
    throw new Error(`the build failed:\n${run.stdout}\n${run.stderr}`);
  }
  return outDir;
}
