import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../../..');
const SOURCE_DIRS = ['core', 'cli', 'node-red', 'nodes', 'credentials'];
const LOCK_STALE_MS = 10 * 60_000;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Names the sources: a build is reused until one of them changes. */
function sourceKey(): string {
  const hash = createHash('sha256');
  for (const file of [join(REPO, 'tsconfig.json'), join(REPO, 'package.json'), ...SOURCE_DIRS.flatMap((dir) => filesUnder(join(REPO, dir))).sort()]) {
    hash.update(relative(REPO, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function compile(dir: string): void {
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(REPO, 'tsconfig.json'), '--outDir', join(dir, 'dist'), '--sourceMap', 'false', '--declaration', 'false'], { cwd: REPO, encoding: 'utf8' });
  if (!existsSync(join(dir, 'dist', 'core', 'intake', 'handle-intake.js'))) throw new Error(`the private build failed:\n${run.stdout}\n${run.stderr}`);
  // What gulp copies in the real build: Node-RED editor files and icons.
  cpSync(join(REPO, 'node-red'), join(dir, 'dist', 'node-red'), { recursive: true, filter: (source) => statSync(source).isDirectory() || !source.endsWith('.ts') });
  writeFileSync(join(dir, 'package.json'), readFileSync(join(REPO, 'package.json')));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

/** Builds of earlier sources, once nothing has used them for an hour. */
function removeOldBuilds(keep: string): void {
  for (const entry of readdirSync(tmpdir())) {
    const path = join(tmpdir(), entry);
    if (!entry.startsWith('incident-intake-hardening-') || path === keep || entry.endsWith('.lock')) continue;
    if (Date.now() - statSync(path).mtimeMs > 60 * 60_000) rmSync(path, { recursive: true, force: true });
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The package compiled from the current sources into a private folder (package.json, dist/, node_modules
 * linked to the repository's), shared by the hardening suites and reused until a source changes. Other
 * engineers rebuild the shared dist/ while tests run; a host started from it could load half-written files.
 */
export function privateBuild(): string {
  const dir = join(tmpdir(), `incident-intake-hardening-${sourceKey()}`);
  const done = join(dir, '.complete');
  const lock = `${dir}.lock`;
  for (const started = Date.now(); !existsSync(done); sleep(500)) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > LOCK_STALE_MS) throw new Error('gave up waiting for another suite to finish the private build');
      continue;
    }
    try {
      if (!existsSync(done)) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        compile(dir);
        writeFileSync(done, new Date().toISOString());
        removeOldBuilds(dir);
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return dir;
}
