import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { REPO, startNodeRed, type NodeRedProcess } from '../support/node-red-runtime';

/**
 * The packed package installed into a fresh Node-RED user directory with `npm install <tarball>`, exactly as a
 * user would, then loaded by a real Node-RED with admin authentication on. Slow (an npm install of the
 * runtime dependencies), so it runs once per suite.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require(require.resolve('bcryptjs', { paths: [join(REPO, 'node_modules/node-red')] })) as { hashSync(text: string, rounds: number): string };
const work = mkdtempSync(join(tmpdir(), 'node-red-install-'));
const userDir = join(work, 'user');
let red: NodeRedProcess;
let token: string;

beforeAll(async () => {
  execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: REPO, stdio: 'pipe' });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'))!;
  execFileSync('mkdir', ['-p', userDir]);
  writeFileSync(join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true }));
  execFileSync('npm', ['install', join(work, tarball), '--no-audit', '--no-fund', '--loglevel=error'], { cwd: userDir, stdio: 'pipe' });
  red = await startNodeRed({ userDir, linkPackage: false, adminAuth: { username: 'admin', passwordHash: bcrypt.hashSync('admin-password-1', 8) } });
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
});

describe('installed with npm install <tarball> into a fresh Node-RED', () => {
  it('loads every node type without warnings', async () => {
    const response = await request(`${red.url}/nodes`, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
    const modules = (await response.body.json()) as Array<{ module: string; types: string[]; enabled: boolean; err?: string }>;
    const ours = modules.filter((entry) => entry.module === '@intakekit/n8n-nodes-incident-intake');
    expect(ours.flatMap((entry) => entry.types).sort()).toEqual(['incident-intake', 'incident-review', 'incidentio-account', 'incidentio-out', 'intake-source', 'intake-store', 'webhook-out']);
    expect(ours.every((entry) => entry.enabled && !entry.err)).toBe(true);
    expect(red.log()).not.toMatch(/\[warn\].*(incident|intake|webhook-out)/i);
    expect(red.log()).not.toMatch(/\[error\]/);
  });

  it('serves the editor files for the nodes', async () => {
    const response = await request(`${red.url}/nodes`, { headers: { accept: 'text/html', authorization: `Bearer ${token}` } });
    const html = await response.body.text();
    expect(html).toContain("RED.nodes.registerType('incident-intake'");
    expect(html).toContain('Test with sample payload');
  });

  it('protects the mapping preview endpoint with the admin auth and previews a sample', async () => {
    const body = JSON.stringify({ payload: { title: 'Disk full', severity: 'p2', dedup_key: 'disk-1' }, mapping: { provider: 'generic' } });
    const anonymous = await request(`${red.url}/incident-intake/preview`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(anonymous.statusCode).toBe(401);
    await anonymous.body.dump();
    const preview = await request(`${red.url}/incident-intake/preview`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(preview.statusCode).toBe(200);
    expect(await preview.body.json()).toMatchObject({ candidates: [{ title: 'Disk full', severity: 'high', externalId: 'disk-1' }], quarantined: [] });
    const broken = await request(`${red.url}/incident-intake/preview`, {
      method: 'POST',
      body: JSON.stringify({ payload: {}, mapping: { provider: 'generic', expression: '{ "title": ' } }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    expect(broken.statusCode).toBe(400);
    expect(await broken.body.json()).toMatchObject({ issues: [{ field: 'expression', line: 1 }] });
  });
});
