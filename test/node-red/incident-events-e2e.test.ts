import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DORA_LIFECYCLE_EVENTS } from '../support/dora-lifecycle';
import { request } from 'undici';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { startNodeRed, waitFor, type NodeRedProcess } from '../support/node-red-runtime';

/**
 * A DORA major incident carried from intake to final report in a real Node-RED (child process, built package),
 * with an `incident events` node wired to an `http request` node that posts each event to a loopback receiver
 * standing in for Slack. The runtime keeps the real clock, so the incident is classified as of 3 h 59 min 40 s
 * ago (the initial notification falls due 20 s later) and the leads are 800 h (due at once for every deadline,
 * up to the final report a month out) and 10 s; the exact times of each alert are tested with an injected
 * clock in test/lifecycle.
 */
const secret = generateStandardWebhookSecret();
const HOUR = 3_600_000;
let receiver: Server;
let receiverUrl = '';
const received: Array<{ topic: string; body: any }> = [];
let red: NodeRedProcess | undefined;
let userDir: string;

const flows = () => [
  { id: 'n-tab', type: 'tab', label: 'Lifecycle' },
  { id: 'n-store', type: 'intake-store', sqlitePath: 'events.sqlite' },
  { id: 'n-src', type: 'intake-source', tenant: 'acme', sourceId: 'jira-prod', provider: 'jira', mode: 'auto-create', scheme: 'hub-sha256', credentials: { secret } },
  { id: 'n-intake', z: 'n-tab', type: 'incident-intake', source: 'n-src', store: 'n-store', wires: [[], [], []] },
  { id: 'n-act-in', z: 'n-tab', type: 'http in', url: '/act', method: 'post', wires: [['n-unpack']] },
  { id: 'n-unpack', z: 'n-tab', type: 'function', func: 'Object.assign(msg, msg.payload); return msg;', outputs: 1, wires: [['n-review']] },
  { id: 'n-review', z: 'n-tab', type: 'incident-review', source: 'n-src', store: 'n-store', action: 'incident-get', actor: 'actor', actorType: 'msg', wires: [['n-act-out']] },
  { id: 'n-act-out', z: 'n-tab', type: 'http response', statusCode: '200', wires: [] },
  { id: 'n-catch', z: 'n-tab', type: 'catch', scope: ['n-review'], wires: [['n-fail']] },
  { id: 'n-fail', z: 'n-tab', type: 'change', rules: [{ t: 'set', p: 'statusCode', pt: 'msg', to: '400', tot: 'num' }, { t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' }], wires: [['n-fail-out']] },
  { id: 'n-fail-out', z: 'n-tab', type: 'http response', wires: [] },
  { id: 'n-events', z: 'n-tab', type: 'incident-events', source: 'n-src', store: 'n-store', kinds: '', scan: true, leads: '800h, 10s', scanEvery: '1', wires: [['n-slack']] },
  { id: 'n-slack', z: 'n-tab', type: 'http request', method: 'POST', ret: 'txt', url: `${receiverUrl}/slack`, wires: [[]] },
];

const jiraEvent = (category: string, timestamp: number) => ({
  timestamp,
  webhookEvent: 'jira:issue_updated',
  issue: {
    id: '20001',
    key: 'OPS-20001',
    self: 'https://acme.atlassian.net/rest/api/2/issue/20001',
    fields: { summary: 'Core banking down', created: new Date(timestamp).toISOString(), priority: { name: 'Highest' }, status: { name: category, statusCategory: { key: category } }, resolution: null },
  },
});

async function sendJira(body: unknown) {
  const raw = Buffer.from(JSON.stringify(body));
  const response = await request(`${red!.url}/intake/jira-prod`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('hub-sha256', secret, raw) } });
  return { status: response.statusCode, body: (await response.body.json()) as any };
}

async function act(input: Record<string, unknown>) {
  const response = await request(`${red!.url}/act`, { method: 'POST', body: JSON.stringify({ actor: 'ciso', ...input }), headers: { 'content-type': 'application/json' } });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${input.action}: ${response.statusCode} ${text}`);
  return JSON.parse(text);
}

const labels = () => received.map(({ body }) => [body.kind, body.details.report ?? '', body.details.lead ?? ''].join(' ').trim());
const arrived = (label: string) => waitFor(async () => labels().includes(label), 60_000, () => `waiting for "${label}"; got ${JSON.stringify(labels())}`);

async function start() {
  red = await startNodeRed({ userDir });
  await red.deploy(flows());
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const parsed = JSON.parse(body);
      received.push({ topic: parsed.kind, body: parsed });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  userDir = mkdtempSync(join(tmpdir(), 'node-red-events-'));
  await start();
}, 90_000);

afterAll(async () => {
  await red?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  rmSync(userDir, { recursive: true, force: true });
});

describe('Node-RED incident events', () => {
  it('carries a DORA major incident to the final report with every lifecycle event and deadline alert arriving once in the flow, across a restart', async () => {
    const now = Date.now();
    const created = await sendJira(jiraEvent('new', now - 60_000));
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ outcome: 'accepted', events: [{ state: 'promoted' }] });
    expect((await sendJira(jiraEvent('indeterminate', now - 30_000))).status).toBe(202);
    await arrived('incident.acknowledged');
    const incidentId = received[0]!.body.incidentId as string;
    expect(received[0]!.body).toMatchObject({ kind: 'incident.acknowledged', details: { from: 'open', to: 'acknowledged' }, incident: { status: 'acknowledged' } });

    await act({ action: 'incident-owner', incidentId, owner: 'oncall-core' });
    const evidence = await act({ action: 'incident-evidence', incidentId, evidence: { kind: 'link', value: 'https://status.example.com/core' } });
    const classifiedAt = Date.now() - 4 * HOUR + 20_000;
    const classified = await act({ action: 'incident-classify', incidentId, classification: { doraMajor: true, classifiedAt } });
    const initialDue = classified.nextDeadline.due as string;
    expect(classified.nextDeadline).toMatchObject({ report: 'dora.initial', due: new Date(classifiedAt + 4 * HOUR).toISOString() });
    await arrived('deadline.approaching dora.initial 33d8h');
    await arrived('deadline.approaching dora.initial 10s');
    await arrived('deadline.missed dora.initial');

    // A restart: the same flows and store; nothing is lost or sent again.
    await red!.stop();
    red = undefined;
    await start();

    await act({ action: 'incident-report', incidentId, report: { kind: 'dora.initial', reference: 'NCA-7', evidenceIds: [evidence.id] } });
    await arrived('deadline.approaching dora.intermediate 33d8h');
    await act({ action: 'incident-report', incidentId, report: { kind: 'dora.intermediate' } });
    await arrived('deadline.approaching dora.final 33d8h');
    await act({ action: 'incident-report', incidentId, report: { kind: 'dora.final' } });
    await arrived('report.submitted dora.final');
    // A few more scans, to show nothing comes twice.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    expect([...labels()].sort()).toEqual([...DORA_LIFECYCLE_EVENTS].sort());
    expect(new Set(received.map(({ body }) => body.id)).size).toBe(received.length);
    const missed = received.find(({ body }) => body.kind === 'deadline.missed')!.body;
    expect(missed).toMatchObject({ tenant: 'acme', incidentId, actor: null, details: { regime: 'dora', report: 'dora.initial', due: initialDue }, incident: { title: 'Core banking down', doraMajor: true } });
    expect(missed.occurredAt).toBeGreaterThanOrEqual(Date.parse(initialDue));
    const shortLead = received.find(({ body }) => body.details.lead === '10s')!.body;
    expect(shortLead.occurredAt).toBeGreaterThanOrEqual(Date.parse(initialDue) - 10_000);
    expect(shortLead.occurredAt).toBeLessThan(Date.parse(initialDue));
    expect(received.find(({ body }) => body.kind === 'incident.owner_changed')!.body).toMatchObject({ actor: 'ciso', details: { from: null, to: 'oncall-core' } });
    expect(red!.log()).not.toMatch(/\[(warn|error)\].*incident events/);
  }, 180_000);
});
