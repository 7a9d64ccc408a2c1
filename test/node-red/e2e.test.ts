import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { openSqliteStore } from '../../core/store';
import { startNodeRed, type NodeRedProcess } from '../support/node-red-runtime';

/**
 * A real Node-RED runtime in a child process, with the built package installed in a fresh user directory and
 * flows deployed through the admin API. Needs `npm run build` first (npm test does it).
 */
let red: NodeRedProcess;
const secret = generateStandardWebhookSecret();

const flows = [
  { id: 'n-tab', type: 'tab', label: 'Intake flow' },
  { id: 'n-store', type: 'intake-store', sqlitePath: 'e2e.sqlite' },
  {
    id: 'n-src', type: 'intake-source', tenant: 'acme', sourceId: 'jira-prod', provider: 'jira', mode: 'review', scheme: 'hub-sha256',
    maxBodyKb: '16', tenantPerDay: '3', credentials: { secret },
  },
  { id: 'n-intake', z: 'n-tab', type: 'incident-intake', source: 'n-src', store: 'n-store', wires: [[], [], []] },
  { id: 'n-approve-in', z: 'n-tab', type: 'http in', url: '/approve', method: 'post', wires: [['n-reviewer']] },
  {
    id: 'n-reviewer', z: 'n-tab', type: 'incident-review', source: 'n-src', store: 'n-store', action: 'promote',
    eventId: 'payload.eventId', eventIdType: 'msg', actor: 'payload.actor', actorType: 'msg', reason: 'payload.reason', reasonType: 'msg', wires: [['n-approve-out']],
  },
  { id: 'n-approve-out', z: 'n-tab', type: 'http response', statusCode: '200', wires: [] },
  { id: 'n-catch', z: 'n-tab', type: 'catch', scope: ['n-reviewer'], wires: [['n-conflict']] },
  { id: 'n-conflict', z: 'n-tab', type: 'change', rules: [{ t: 'set', p: 'statusCode', pt: 'msg', to: '409', tot: 'num' }, { t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' }], wires: [['n-conflict-out']] },
  { id: 'n-conflict-out', z: 'n-tab', type: 'http response', wires: [] },
];

const jiraEvent = (id: string, summary = 'Payments API returns 500') => ({
  timestamp: 1763892000000,
  webhookEvent: 'jira:issue_created',
  issue: {
    id,
    key: `OPS-${id}`,
    self: `https://acme.atlassian.net/rest/api/2/issue/${id}`,
    fields: { summary, created: '2026-11-23T09:00:00.000+0000', priority: { name: 'High' }, status: { name: 'Open', statusCategory: { key: 'new' } }, resolution: null },
  },
});

async function send(body: unknown, key = secret) {
  const raw = Buffer.from(JSON.stringify(body));
  const response = await request(`${red.url}/intake/jira-prod`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('hub-sha256', key, raw) } });
  return { status: response.statusCode, headers: response.headers, body: (await response.body.json()) as any };
}

beforeAll(async () => {
  red = await startNodeRed();
  await red.deploy(flows);
}, 60_000);
afterAll(async () => red?.stop());

describe('Node-RED end to end', () => {
  it('loads the package without warnings about our nodes', () => {
    expect(red.log()).toMatch(/Started flows/);
    expect(red.log()).not.toMatch(/\[warn\].*(incident|intake)/i);
    expect(red.log()).not.toMatch(/\[error\]/);
  });

  it('takes a signed Jira event into review and promotes it through an http-in approval flow', async () => {
    const accepted = await send(jiraEvent('10001'));
    expect(accepted).toMatchObject({ status: 202, body: { outcome: 'accepted', events: [{ state: 'pending_review' }] } });
    const eventId = accepted.body.events[0].id;
    const approve = (actor: string) =>
      request(`${red.url}/approve`, { method: 'POST', body: JSON.stringify({ eventId, actor, reason: 'confirmed' }), headers: { 'content-type': 'application/json' } });
    const promoted = await approve('alice');
    expect(promoted.statusCode).toBe(200);
    expect(await promoted.body.json()).toMatchObject({ title: 'Payments API returns 500', severity: 'high', status: 'open', version: 1 });
    const again = await approve('bob');
    expect(again.statusCode).toBe(409);
    expect(await again.body.text()).toMatch(/promoted, not pending review/);
  });

  it('answers a retry with the first answer, a bad signature with 401, quarantine with 202', async () => {
    const event = jiraEvent('10002');
    expect((await send(event)).status).toBe(202);
    expect((await send(event)).body.outcome).toBe('duplicate');
    expect((await send(jiraEvent('10003'), 'wrong-secret')).status).toBe(401);
    const quarantined = await send({ webhookEvent: 'jira:issue_created', issue: { id: '10004', fields: {} } });
    expect(quarantined).toMatchObject({ status: 202, body: { outcome: 'quarantined' } });
  });

  it('refuses an oversized chunked body with 413', async () => {
    const text = await new Promise<string>((resolve) => {
      const url = new URL(red.url);
      const socket = connect(Number(url.port), '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => (answer += d));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(answer));
      socket.write('POST /intake/jira-prod HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = `${(4096).toString(16)}\r\n${'x'.repeat(4096)}\r\n`;
      for (let i = 0; i < 16; i++) socket.write(chunk);
    });
    expect(text).toMatch(/^HTTP\/1\.1 413/);
  });

  it('survives a POST to a target that URL parsing rejects (it once took the runtime down) and keeps answering', async () => {
    const text = await new Promise<string>((resolve) => {
      const url = new URL(red.url);
      const socket = connect(Number(url.port), '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => (answer += d));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(answer));
      socket.write('POST //[ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    });
    expect(text).toMatch(/^HTTP\/1\.1 404/);
    const settings = await request(`${red.url}/settings`);
    expect(settings.statusCode).toBe(200);
    await settings.body.dump();
  });

  it('answers 429 with Retry-After once the tenant budget is spent', async () => {
    const budget = await send(jiraEvent('10005'));
    expect(budget.status).toBe(429);
    expect(Number(budget.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('kept everything in the SQLite file in the user directory', async () => {
    const store = await openSqliteStore(join(red.userDir, 'e2e.sqlite'));
    const counts = await store.transaction((r) => r.events.countByState('acme'));
    expect(counts).toEqual({ promoted: 1, pending_review: 1, quarantined: 1 });
    await store.close();
  });

  it('removes the route when the node is removed', async () => {
    await red.deploy(flows.filter((node) => node.id !== 'n-intake'));
    const response = await request(`${red.url}/intake/jira-prod`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(404);
    await response.body.dump();
  });
});
