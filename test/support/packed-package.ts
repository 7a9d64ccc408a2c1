import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import { REPO } from './node-red-runtime';

/**
 * The package as users get it: `npm pack` of the built working copy (needs `npm run build`), unpacked, and
 * helpers that read what is in the tarball rather than what is in the checkout.
 */
export interface PackedPackage {
  tarball: string;
  /** Unpacked tarball (its `package/` folder). */
  root: string;
  /** Paths inside the package, `/`-separated, as `tar` lists them (without `package/`). */
  files: Set<string>;
  manifest: PackageManifest;
  read(path: string): string;
}

export interface PackageManifest {
  name: string;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  n8n?: { nodes?: string[]; credentials?: string[] };
  'node-red'?: { nodes?: Record<string, string> };
}

export function packPackage(work: string): PackedPackage {
  if (!existsSync(join(REPO, 'dist/node-red/incident-intake.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Array<{ filename: string }>;
  const tarball = join(work, packed[0].filename.replace(/^@/, '').replace('/', '-'));
  const listed = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const unpacked = join(work, 'unpacked');
  mkdirSync(unpacked, { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
  const root = join(unpacked, 'package');
  const files = new Set(listed.filter((entry) => !entry.endsWith('/')).map((entry) => entry.replace(/^package\//, '')));
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  return { tarball, root, files, manifest: JSON.parse(read('package.json')) as PackageManifest, read };
}

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

export interface RequireProblem {
  file: string;
  request: string;
  problem: string;
}

/** The package name a bare module request names (`pg/lib/x` → `pg`, `@scope/a/b` → `@scope/a`). */
export function packageNameOf(request: string): string {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Every `require("…")` and `join(__dirname, "…")` in the packed JavaScript: relative ones must resolve to a
 * packed file; bare ones must be Node built-ins or runtime `dependencies` (a devDependency is absent from a user's
 * install), with `allowPeer` naming peers a host provides (n8n-workflow, inside n8n only).
 */
export function checkRequires(pkg: PackedPackage, allowPeer: (file: string, name: string) => boolean): RequireProblem[] {
  const problems: RequireProblem[] = [];
  const dependencies = new Set(Object.keys(pkg.manifest.dependencies ?? {}));
  for (const file of [...pkg.files].filter((path) => path.endsWith('.js'))) {
    const text = pkg.read(file);
    const dir = posix.dirname(file);
    for (const match of text.matchAll(/\brequire\(\s*(["'])([^"']+)\1\s*\)/g)) {
      const request = match[2];
      if (request.startsWith('.')) {
        const base = posix.normalize(posix.join(dir, request));
        const candidates = [base, `${base}.js`, `${base}.json`, `${base}/index.js`];
        if (!candidates.some((candidate) => pkg.files.has(candidate))) problems.push({ file, request, problem: 'relative require not in the tarball' });
      } else if (BUILTINS.has(request)) {
        continue;
      } else {
        const name = packageNameOf(request);
        if (!dependencies.has(name) && !allowPeer(file, name)) {
          const kind = pkg.manifest.devDependencies?.[name] ? 'only a devDependency' : 'not a dependency';
          problems.push({ file, request, problem: kind });
        }
      }
    }
    for (const match of text.matchAll(/join\)?\(__dirname,\s*(["'])([^"']+)\1\s*\)/g)) {
      const target = posix.normalize(posix.join(dir, match[2]));
      // a .ts fallback is only for running from source
      if (!target.endsWith('.ts') && !pkg.files.has(target)) problems.push({ file, request: match[2], problem: 'file read at run time not in the tarball' });
    }
  }
  return problems;
}

/** Compiled files in the tarball without a TypeScript source in the checkout (stale output of a removed module). */
export function staleOutput(pkg: PackedPackage): string[] {
  return [...pkg.files]
    .filter((path) => path.startsWith('dist/') && /\.(js|d\.ts)$/.test(path))
    .filter((path) => !existsSync(join(REPO, path.slice('dist/'.length).replace(/(\.d\.ts|\.js)$/, '.ts'))));
}

/** Files that must never be published: tests, fixtures, local state, keys and environment files. */
export const UNWANTED_PATH = /(^|\/)(test|tests|__tests__|fixtures|bench|\.data|node_modules)\/|\.(test|spec)\.[cm]?[jt]s$|(^|\/)\.env(\.|$)|\.(pem|key|p12|pfx|sqlite|sqlite-wal|sqlite-shm|db|tgz|log)$|(^|\/)(flows_cred|\.npmrc|\.config\.runtime)/i;

/** Shapes of real credentials (private keys, npm / GitHub / cloud tokens, live payment keys). */
export const SECRET_SHAPES = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bnpm_[A-Za-z0-9]{36}\b/,
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\b[sr]k_live_[A-Za-z0-9]{16,}\b/,
  /\/\/registry\.npmjs\.org\/:_authToken=/,
];

/** Folder names directly under a directory (for listing an install's node_modules). */
export function installedPackages(nodeModules: string): string[] {
  return readdirSync(nodeModules, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .flatMap((entry) => (entry.name.startsWith('@') ? readdirSync(join(nodeModules, entry.name)).map((name) => `${entry.name}/${name}`) : [entry.name]));
}
