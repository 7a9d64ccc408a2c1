import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { signRequest } from '../../core/signing';
import { startNodeRed, type NodeRedProcess } from '../support/node-red-runtime';

/**
 * The package on the oldest Node-RED it supports (4.1), installed once into a cache outside the repository
 * and reused. Skipped, with the reason, when the registry cannot be reached and nothing is cached.
 */
const VERSION = '4.1.8';
const cache = join(process.env.INCIDENT_INTAKE_CACHE ?? join(homedir(), '.cache/incident-intake'), `node-red-${VERSION}`);
const home = join(cache, 'node_modules/node-red');

function install(): string | undefined {
  if (existsSync(join(home, 'red.js'))) return undefined;
  try {
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'package.json'), JSON.stringify({ name: 'node-red-cache', private: true }));
    execFileSync('npm', ['install', `node-red@${VERSION}`, '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'], { cwd: cache, stdio: 'pipe', timeout: 240_000 });
    return undefined;
  } catch (error) {
    return `node-red@${VERSION} could not be installed: ${(error as Error).message.split('\n')[0]}`;
  }
}

const skipReason = install();
if (skipReason) console.warn(`skipping the Node-RED ${VERSION} suite: ${skipReason}`);

let red: NodeRedProcess;
const secret = 'nr4-jira-secret';

describe.skipIf(skipReason !== undefined && process.env.CI !== 'true')(`Node-RED ${VERSION}`, () => {
  beforeAll(async () => {
    red = await startNodeRed({ nodeRedHome: home });
    await red.deploy([
      { id: 'v4-tab', type: 'tab', label: 'v4' },
      { id: 'v4-store', type: 'intake-store', sqlitePath: 'v4.sqlite' },
      { id: 'v4-src', type: 'intake-source', tenant: 'acme', sourceId: 'jira', provider: 'jira', mode: 'auto-create', scheme: 'hub-sha256', credentials: { secret } },
      { id: 'v4-intake', z: 'v4-tab', type: 'incident-intake', source: 'v4-src', store: 'v4-store', wires: [[], [], []] },
    ]);
  }, 120_000);
  afterAll(async () => red?.stop());

  it('loads our nodes and takes a signed event', async () => {
    expect(red.log()).toMatch(new RegExp(`Node-RED version: v${VERSION.replace(/\./g, '\\.')}`));
    expect(red.log()).not.toMatch(/\[error\]/);
    const raw = Buffer.from(JSON.stringify({ webhookEvent: 'jira:issue_created', issue: { id: '1', key: 'OPS-1', fields: { summary: 'On 4.1', created: '2026-11-23T09:00:00.000+0000', priority: { name: 'High' }, status: { name: 'Open', statusCategory: { key: 'new' } } } } }));
    const response = await request(`${red.url}/intake/jira`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('hub-sha256', secret, raw) } });
    expect(response.statusCode).toBe(202);
    expect(await response.body.json()).toMatchObject({ outcome: 'accepted', events: [{ state: 'promoted' }] });
  });
});
