import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';

export const REPO = resolve(__dirname, '../..');
const PACKAGE_NAME = require(join(REPO, 'package.json')).name as string;

export interface NodeRedProcess {
  url: string;
  userDir: string;
  child: ChildProcess;
  /** Everything the runtime printed so far. */
  log(): string;
  deploy(flows: object[]): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Boots a real Node-RED (the project's node-red dependency) as a child process on loopback, with a fresh user
 * directory in which the built package is installed as a module (symlinked to the repository, whose dist/ must
 * be built). Resolves once the admin API answers.
 */
export async function startNodeRed(options: { userDir?: string; linkPackage?: boolean; env?: Record<string, string> } = {}): Promise<NodeRedProcess> {
  const userDir = options.userDir ?? mkdtempSync(join(tmpdir(), 'node-red-e2e-'));
  if (options.linkPackage !== false) {
    const target = join(userDir, 'node_modules', ...PACKAGE_NAME.split('/'));
    mkdirSync(join(target, '..'), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    symlinkSync(REPO, target, 'dir');
    writeFileSync(join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true, dependencies: { [PACKAGE_NAME]: `file:${REPO}` } }));
  }
  const port = await freePort();
  writeFileSync(
    join(userDir, 'settings.js'),
    `module.exports = { uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: 'e2e-credential-secret',
      logging: { console: { level: 'info', metrics: false, audit: false } }, editorTheme: { tours: false } };`,
  );
  let output = '';
  const child = spawn(process.execPath, [join(REPO, 'node_modules/node-red/red.js'), '--userDir', userDir, '--settings', join(userDir, 'settings.js')], {
    cwd: userDir,
    env: { ...process.env, NODE_RED_ENABLE_PROJECTS: 'false', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await request(`${url}/settings`).then(async (r) => (await r.body.dump(), r.statusCode === 200)).catch(() => false)), 30_000, () => output);
  const runtime: NodeRedProcess = {
    url,
    userDir,
    child,
    log: () => output,
    async deploy(flows) {
      const response = await request(`${url}/flows`, {
        method: 'POST',
        body: JSON.stringify(flows),
        headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1' },
      });
      const text = await response.body.text();
      if (response.statusCode >= 300) throw new Error(`deploy failed: ${response.statusCode} ${text}`);
      await new Promise((r) => setTimeout(r, 200));
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGINT');
        await new Promise((r) => child.once('exit', r));
      }
      if (!options.userDir) rmSync(userDir, { recursive: true, force: true });
    },
  };
  return runtime;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, describe: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms\n${describe().slice(-4000)}`);
}

/** Copies a file tree (e.g. example flows) so a test can edit it. */
export function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}
