import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { signRequest } from '../../core/signing';
import { REPO, freePort, startNodeRed, waitFor, type NodeRedProcess } from '../support/node-red-runtime';
import { SECRET_SHAPES, UNWANTED_PATH, checkRequires, installedPackages, packPackage, staleOutput, type PackedPackage } from '../support/packed-package';

/**
 * The packed package (`npm pack` of the build) checked file by file, then installed into a fresh Node-RED user
 * directory with `npm install <tarball>`, exactly as a user would (runtime dependencies from the registry, no dev
 * dependencies), and loaded by a real Node-RED with admin authentication on: editor files and icons served, the
 * Jira example flow deployed and driven with signed requests. Needs `npm run build` (npm test runs it) and the
 * npm registry; one pack and one install per run (`npm run test:package` runs this file alone).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require(require.resolve('bcryptjs', { paths: [join(REPO, 'node_modules/node-red')] })) as { hashSync(text: string, rounds: number): string };
const MODULE = '@intakekit/n8n-nodes-incident-intake';
const work = mkdtempSync(join(tmpdir(), 'node-red-install-'));
const userDir = join(work, 'user');
const jiraSecret = 'jira-installed-secret-1';
const timings: Record<string, number> = {};
let pkg: PackedPackage;
let red: NodeRedProcess;
let token: string;

function timed<T>(label: string, run: () => T): T {
  const started = Date.now();
  try {
    return run();
  } finally {
    timings[label] = Date.now() - started;
  }
}

const auth = () => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  pkg = timed('pack', () => packPackage(work));
  mkdirSync(userDir, { recursive: true });
  writeFileSync(join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true }));
  timed('install', () => execFileSync('npm', ['install', pkg.tarball, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: userDir, stdio: 'pipe' }));
  const started = Date.now();
  // incident.io stands at a closed loopback port: nothing here leaves the machine.
  red = await startNodeRed({ userDir, linkPackage: false, adminAuth: { username: 'admin', passwordHash: bcrypt.hashSync('admin-password-1', 8) }, env: { INCIDENT_IO_URL: `http://127.0.0.1:${await freePort()}` } });
  timings.start = Date.now() - started;
  const login = await request(`${red.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: 'admin-password-1' }),
  });
  token = ((await login.body.json()) as { access_token: string }).access_token;
}, 240_000);
afterAll(async () => {
  await red?.stop();
  rmSync(work, { recursive: true, force: true });
  if (Object.keys(timings).length > 0) console.info(`packed package: ${Object.entries(timings).map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
});

describe('the tarball', () => {
  it('holds every file package.json names: n8n nodes and credentials, Node-RED nodes, main, types and bin', () => {
    const { manifest } = pkg;
    const named = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? []), ...Object.values(manifest['node-red']?.nodes ?? {}), ...Object.values(manifest.bin ?? {})];
    // main / types only when declared (the package has no library entry point today)
    for (const entry of [manifest.main, manifest.types]) if (entry !== undefined) named.push(entry);
    expect(manifest.n8n?.nodes?.length).toBe(7);
    expect(manifest.n8n?.credentials?.length).toBe(6);
    expect(Object.keys(manifest['node-red']?.nodes ?? {})).toHaveLength(9);
    expect(named.filter((path) => !pkg.files.has(path))).toEqual([]);
    for (const bin of Object.values(manifest.bin ?? {})) expect(pkg.read(bin).startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('n8n: each node has its .node.json codex and icon; each credential its icon', () => {
    const missing: string[] = [];
    for (const file of [...(pkg.manifest.n8n?.nodes ?? []), ...(pkg.manifest.n8n?.credentials ?? [])]) {
      const icons = [...pkg.read(file).matchAll(/icon\s*[:=]\s*'file:([^']+)'/g)].map((match) => posix.normalize(posix.join(posix.dirname(file), match[1])));
      if (icons.length === 0) missing.push(`${file}: no icon`);
      for (const icon of icons) if (!pkg.files.has(icon)) missing.push(`${file}: ${icon}`);
      if (file.endsWith('.node.js')) {
        const codex = file.replace(/\.js$/, '.json');
        if (!pkg.files.has(codex)) missing.push(codex);
        else expect(JSON.parse(pkg.read(codex))).toMatchObject({ node: expect.stringMatching(new RegExp(`^${pkg.manifest.name}\\.[a-z]\\w*$`)), categories: expect.any(Array) });
      }
    }
    expect(missing).toEqual([]);
  });

  it('Node-RED: each node has its editor .html, and every icon an .html names is in icons/', () => {
    const missing: string[] = [];
    for (const file of Object.values(pkg.manifest['node-red']?.nodes ?? {})) {
      const html = file.replace(/\.js$/, '.html');
      if (!pkg.files.has(html)) {
        missing.push(html);
        continue;
      }
      for (const match of pkg.read(html).matchAll(/\bicon\s*:\s*'([^']+)'/g)) {
        if (match[1]!.startsWith('red/images/')) continue; // the editor's own images (a typedInput type's icon)
        const icon = posix.join(posix.dirname(file), 'icons', match[1]);
        if (!pkg.files.has(icon)) missing.push(icon);
      }
    }
    expect(missing).toEqual([]);
  });

  it('runtime dependencies are enough: every require is a built-in, a dependency or a packed file (n8n-workflow only inside n8n files)', () => {
    const problems = checkRequires(pkg, (file, name) => name === 'n8n-workflow' && /^dist\/(nodes|credentials)\//.test(file));
    expect(problems).toEqual([]);
    // and nothing the Node-RED nodes or the core load reaches the n8n peer
    const nodeRedProblems = checkRequires(pkg, () => false).filter((problem) => !/^dist\/(nodes|credentials)\//.test(problem.file));
    expect(nodeRedProblems).toEqual([]);
  });

  it('ships no tests, fixtures, local state, keys or secrets, and no stale build output', () => {
    expect([...pkg.files].filter((path) => UNWANTED_PATH.test(path))).toEqual([]);
    const shipped = (path: string) => path.startsWith('dist/') || /^examples\/node-red\/[\w-]+\.json$/.test(path) || ['package.json', 'README.md', 'LICENSE'].includes(path);
    expect([...pkg.files].filter((path) => !shipped(path))).toEqual([]);
    const leaks = [...pkg.files].flatMap((path) => SECRET_SHAPES.filter((shape) => shape.test(pkg.read(path))).map((shape) => `${path}: ${shape}`));
    expect(leaks).toEqual([]);
    expect(staleOutput(pkg)).toEqual([]);
  });

  it('installs with nothing but the runtime dependencies and their own', () => {
    const installed = installedPackages(join(userDir, 'node_modules'));
    expect(installed).toContain(MODULE);
    for (const name of Object.keys(pkg.manifest.dependencies ?? {})) expect(installed).toContain(name);
    const devOnly = Object.keys(pkg.manifest.devDependencies ?? {}).filter((name) => !(name in (pkg.manifest.dependencies ?? {})));
    expect(installed.filter((name) => devOnly.includes(name))).toEqual([]);
  });
});

describe('the installed package outside Node-RED', () => {
  const installed = () => join(userDir, 'node_modules', MODULE);

  it('the incident-intake command runs from node_modules/.bin (map a Jira sample)', () => {
    const result = spawnSync(join(userDir, 'node_modules/.bin/incident-intake'), ['map', '--provider', 'jira'], {
      input: readFileSync(join(REPO, 'test/fixtures/providers/jira.issue_created.json')),
      cwd: userDir,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/"provider": "jira"/);
  });

  it('n8n nodes and credentials load with only n8n-workflow added (as n8n provides it) and name existing icons', () => {
    const peer = join(work, 'n8n-peer/node_modules');
    mkdirSync(peer, { recursive: true });
    symlinkSync(join(REPO, 'node_modules/n8n-workflow'), join(peer, 'n8n-workflow'), 'dir');
    const script = `
      const { existsSync } = require('node:fs'); const { dirname, join, basename } = require('node:path');
      const root = process.argv[1]; const manifest = require(join(root, 'package.json')); const out = [];
      for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
        const name = basename(file).split('.')[0];
        const instance = new (require(join(root, file))[name])();
        const icon = (instance.description ?? instance).icon;
        const codexFile = join(root, file.replace(/\.js$/, '.json'));
        const codex = file.endsWith('.node.js') && existsSync(codexFile) ? require(codexFile).node : undefined;
        out.push({ name, type: instance.description?.name ?? instance.name, codex, icon: typeof icon === 'string' && existsSync(join(dirname(join(root, file)), icon.replace(/^file:/, ''))) });
      }
      console.log(JSON.stringify(out));`;
    const result = spawnSync(process.execPath, ['-e', script, installed()], { cwd: work, encoding: 'utf8', env: { ...process.env, NODE_PATH: peer } });
    expect(result.stderr).toBe('');
    const loaded = JSON.parse(result.stdout) as Array<{ name: string; type: string; icon: boolean; codex?: string }>;
    expect(loaded).toHaveLength(13);
    expect(loaded.filter((entry) => !entry.icon || !entry.type)).toEqual([]);
    // a node's codex names it as n8n does: <package>.<node type name>
    const nodes = loaded.slice(0, pkg.manifest.n8n!.nodes!.length);
    expect(nodes.filter((entry) => entry.codex !== `${pkg.manifest.name}.${entry.type}`)).toEqual([]);
  });
});

describe('installed with npm install <tarball> into a fresh Node-RED', () => {
  it('loads every node type without warnings', async () => {
    const response = await request(`${red.url}/nodes`, { headers: { accept: 'application/json', ...auth() } });
    const modules = (await response.body.json()) as Array<{ module: string; types: string[]; enabled: boolean; err?: string }>;
    const ours = modules.filter((entry) => entry.module === MODULE);
    expect(ours.flatMap((entry) => entry.types).sort()).toEqual(['incident-events', 'incident-intake', 'incident-review', 'incident-submit', 'incidentio-account', 'incidentio-out', 'intake-source', 'intake-store', 'webhook-out']);
    expect(ours.every((entry) => entry.enabled && !entry.err)).toBe(true);
    expect(red.log()).not.toMatch(/\[warn\].*(incident|intake|webhook-out)/i);
    expect(red.log()).not.toMatch(/\[error\]/);
  });

  it('serves the editor files for the nodes', async () => {
    const response = await request(`${red.url}/nodes`, { headers: { accept: 'text/html', ...auth() } });
    const html = await response.body.text();
    for (const type of Object.keys(pkg.manifest['node-red']?.nodes ?? {})) expect(html).toContain(`RED.nodes.registerType('${type}'`);
    expect(html).toContain('Test with sample payload');
  });

  it("lists the example flows under Import → Examples, and ships the n8n workflows apart from them", async () => {
    const modules = await request(`${red.url}/library/examples/flows/`, { headers: { accept: 'application/json', ...auth() } });
    expect(await modules.body.json()).toContain(MODULE);
    const top = await request(`${red.url}/library/examples/flows/${MODULE}`, { headers: { accept: 'application/json', ...auth() } });
    expect(await top.body.json()).toEqual(['node-red']); // a folder; nothing else of examples/ is shipped
    const listing = await request(`${red.url}/library/examples/flows/${MODULE}/node-red`, { headers: { accept: 'application/json', ...auth() } });
    const entries = (await listing.body.json()) as Array<{ fn: string }>;
    const flows = readdirSync(join(REPO, 'examples/node-red')).map((file) => file.replace(/\.json$/, '')).sort();
    expect(entries.map((entry) => entry.fn).sort()).toEqual(flows);
    const flow = await request(`${red.url}/library/examples/flows/${MODULE}/node-red/${flows[0]}`, { headers: { accept: 'application/json', ...auth() } });
    const nodes = (await flow.body.json()) as Array<{ type: string }>;
    expect(nodes.some((node) => node.type === 'incident-intake')).toBe(true);
    const n8nWorkflows = readdirSync(join(REPO, 'examples/n8n')).sort();
    expect(n8nWorkflows.filter((file) => !pkg.files.has(`dist/examples/n8n/${file}`))).toEqual([]);
    expect(JSON.parse(pkg.read(`dist/examples/n8n/${n8nWorkflows[0]}`))).toMatchObject({ nodes: expect.any(Array) });
  });

  it('serves every palette icon the editor asks for (GET /icons/<module>/<icon>)', async () => {
    const listing = await request(`${red.url}/icons`, { headers: { accept: 'application/json', ...auth() } });
    const icons = ((await listing.body.json()) as Record<string, string[]>)[MODULE];
    expect(icons?.sort()).toEqual(['incident-intake.svg', 'incident-review.svg', 'incidentio-out.svg', 'webhook-out.svg']);
    for (const icon of icons) {
      const response = await request(`${red.url}/icons/${MODULE}/${icon}`, { headers: auth() });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/image\/svg\+xml/);
      expect(await response.body.text()).toBe(readFileSync(join(REPO, 'node-red/icons', icon), 'utf8'));
    }
  });

  it('protects the mapping preview endpoint with the admin auth and previews a sample', async () => {
    const body = JSON.stringify({ payload: { title: 'Disk full', severity: 'p2', dedup_key: 'disk-1' }, mapping: { provider: 'generic' } });
    const anonymous = await request(`${red.url}/incident-intake/preview`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(anonymous.statusCode).toBe(401);
    await anonymous.body.dump();
    const preview = await request(`${red.url}/incident-intake/preview`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...auth() } });
    expect(preview.statusCode).toBe(200);
    expect(await preview.body.json()).toMatchObject({ candidates: [{ title: 'Disk full', severity: 'high', externalId: 'disk-1' }], quarantined: [] });
    const broken = await request(`${red.url}/incident-intake/preview`, {
      method: 'POST',
      body: JSON.stringify({ payload: {}, mapping: { provider: 'generic', expression: '{ "title": ' } }),
      headers: { 'content-type': 'application/json', ...auth() },
    });
    expect(broken.statusCode).toBe(400);
    expect(await broken.body.json()).toMatchObject({ issues: [{ field: 'expression', line: 1 }] });
  });

  it('runs the Jira example flow: a signed request is accepted, a wrong one refused, a large one mapped in the worker, an approval promotes', async () => {
    const flows = (JSON.parse(readFileSync(join(REPO, 'examples/node-red/jira-review-incidentio.json'), 'utf8')) as Array<Record<string, unknown>>).map((node) => {
      if (node.id === 'ex1-source') return { ...node, maxBodyKb: '1024', credentials: { secret: jiraSecret } };
      if (node.id === 'ex1-account') return { ...node, credentials: { apiKey: 'api-key-installed' } };
      return node;
    });
    const startedFlows = () => red.log().match(/Started flows/g)?.length ?? 0;
    const before = startedFlows();
    const deployed = await request(`${red.url}/flows`, {
      method: 'POST',
      body: JSON.stringify(flows),
      headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1', ...auth() },
    });
    expect([200, 204]).toContain(deployed.statusCode);
    await deployed.body.dump();
    await waitFor(async () => startedFlows() > before, 10_000, red.log);

    const raw = readFileSync(join(REPO, 'test/fixtures/providers/jira.issue_created.json'));
    const post = async (body: Buffer, headers: Record<string, string>) => {
      const response = await request(`${red.url}/intake/jira-prod`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      return { status: response.statusCode, body: (await response.body.json()) as { outcome: string; events?: Array<{ id: string; state: string }> } };
    };
    const accepted = await post(raw, { ...signRequest('hub-sha256', jiraSecret, raw, { header: 'X-Hub-Signature' }), 'X-Atlassian-Webhook-Identifier': 'installed-1' });
    expect(accepted).toMatchObject({ status: 202, body: { outcome: 'accepted', events: [{ state: 'pending_review' }] } });
    expect(await post(raw, signRequest('hub-sha256', 'not-the-secret', raw, { header: 'X-Hub-Signature' }))).toMatchObject({ status: 401, body: { outcome: 'unauthorized' } });

    // over 512 KiB: parsed and mapped in a mapping worker, a child process started from the installed files
    const issue = JSON.parse(raw.toString()) as { issue: { id: string; key: string }; padding?: string[] };
    issue.issue.id = '990001';
    issue.issue.key = 'OPS-9001';
    issue.padding = Array.from({ length: 600 }, (_, index) => `${index}:${'x'.repeat(1024)}`);
    const large = Buffer.from(JSON.stringify(issue));
    expect(await post(large, signRequest('hub-sha256', jiraSecret, large, { header: 'X-Hub-Signature' }))).toMatchObject({ status: 202, body: { outcome: 'accepted', events: [{ state: 'pending_review' }] } });
    const workerEntry = join(userDir, 'node_modules', MODULE, 'dist/core/mapping/guard/mapping-worker.js');
    const children = execFileSync('ps', ['-eo', 'ppid=,args='], { encoding: 'utf8' }).split('\n').filter((line) => line.trim().startsWith(`${red.child.pid} `));
    expect(children.some((line) => line.includes(workerEntry))).toBe(true);

    const approval = await request(`${red.url}/jira/approve`, {
      method: 'POST',
      body: JSON.stringify({ eventId: accepted.body.events![0].id, actor: 'alice@acme.example', reason: 'installed package works' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(approval.statusCode).toBe(200);
    expect(await approval.body.json()).toMatchObject({ provider: 'jira', version: 1 });
    expect(red.log()).not.toMatch(/\[error\]/);
  });
});
