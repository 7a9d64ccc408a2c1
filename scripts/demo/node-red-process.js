// Boots a real Node-RED (the project's node-red dev dependency) as a child process on loopback, with this
// package linked into a user directory, and deploys flows through the admin API. Shared by `npm start` and the
// end-to-end tests.
'use strict';
const { spawn } = require('node:child_process');
const { mkdirSync, rmSync, symlinkSync, writeFileSync, existsSync } = require('node:fs');
const { createServer } = require('node:net');
const { join, resolve } = require('node:path');

const REPO = resolve(__dirname, '../..');
const PACKAGE_NAME = require(join(REPO, 'package.json')).name;

function freePort(preferred = 0) {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => (preferred ? freePort(0).then(resolvePort) : resolvePort(0)));
    server.listen(preferred, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function linkPackage(userDir) {
  const target = join(userDir, 'node_modules', ...PACKAGE_NAME.split('/'));
  mkdirSync(join(target, '..'), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  symlinkSync(REPO, target, 'dir');
  writeFileSync(join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true, dependencies: { [PACKAGE_NAME]: `file:${REPO}` } }, null, 2));
}

async function waitFor(check, timeoutMs, describe = () => '') {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms\n${describe().slice(-4000)}`);
}

async function isUp(url) {
  try {
    const response = await fetch(`${url}/settings`);
    await response.arrayBuffer();
    return response.status === 200 || response.status === 401;
  } catch {
    return false;
  }
}

/** adminAuth users as Node-RED's settings want them: one admin (`username`, `passwordHash`) or a `users` list with permissions. */
function adminUsers(adminAuth) {
  const users = adminAuth.users ?? [{ username: adminAuth.username, passwordHash: adminAuth.passwordHash, permissions: '*' }];
  return users.map((user) => ({ username: user.username, password: user.passwordHash, permissions: user.permissions ?? '*' }));
}

/**
 * @param {{ userDir: string, port?: number, env?: Record<string,string>, linkPackage?: boolean, onOutput?: (text: string) => void,
 *   adminAuth?: { username?: string, passwordHash?: string, users?: Array<{ username: string, passwordHash: string, permissions?: string | string[] }> }, nodeRedHome?: string, execArgv?: string[] }} options
 *   nodeRedHome: the folder of another node-red installation to run (default: this project's dependency)
 *   execArgv: Node options for the runtime's process (e.g. --cpu-prof)
 */
async function startNodeRed(options) {
  const { userDir } = options;
  mkdirSync(userDir, { recursive: true });
  if (options.linkPackage !== false) linkPackage(userDir);
  const port = await freePort(options.port ?? 0);
  const settings = join(userDir, 'settings.js');
  writeFileSync(
    settings,
    `module.exports = { uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: 'incident-intake-local',
  logging: { console: { level: 'info', metrics: false, audit: false } }, editorTheme: { tours: false, projects: { enabled: false } },
  telemetry: { enabled: false, updateNotification: false },
  ${options.adminAuth ? `adminAuth: { type: 'credentials', users: ${JSON.stringify(adminUsers(options.adminAuth))} },` : ''} };\n`,
  );
  let output = '';
  const child = spawn(process.execPath, [...(options.execArgv ?? []), join(options.nodeRedHome ?? join(REPO, 'node_modules/node-red'), 'red.js'), '--userDir', userDir, '--settings', settings], {
    cwd: userDir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk) => {
    output += chunk;
    options.onOutput?.(String(chunk));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((r) => child.once('exit', r));
  await Promise.race([
    waitFor(() => isUp(url), 60_000, () => output),
    exited.then(() => {
      throw new Error(`Node-RED exited during start-up:\n${output.slice(-4000)}`);
    }),
  ]);
  return {
    url,
    port,
    userDir,
    child,
    log: () => output,
    async deploy(flows) {
      const response = await fetch(`${url}/flows`, {
        method: 'POST',
        body: JSON.stringify(flows),
        headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1' },
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`deploy failed: ${response.status} ${text}`);
      await new Promise((r) => setTimeout(r, 200));
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        await exited;
      }
    },
  };
}

module.exports = { REPO, PACKAGE_NAME, startNodeRed, freePort, waitFor, existsSync };
