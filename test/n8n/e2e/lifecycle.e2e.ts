import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DORA_LIFECYCLE_EVENTS } from '../../support/dora-lifecycle';
import { signRequest } from '../../../core/signing';
import { N8nInstance } from './n8n-instance';

/**
 * A DORA major incident carried from intake to final report in a real n8n 2.41.1 (Incident Intake Trigger,
 * Incident Intake node operations behind webhooks), with an Incident Events Trigger emitting each lifecycle
 * event and deadline alert. n8n keeps the real clock, so the incident is classified as of 3 h 59 min 40 s ago
 * (the initial notification falls due 20 s later) with leads of 800 h (due at once for every deadline, up to
 * the final report a month out) and 10 s; test/lifecycle tests the exact alert times with an injected clock.
 */
const N8N_DIR = process.env.E2E_N8N_DIR!;
const PACKAGE_DIR = process.env.E2E_PACKAGE_DIR!;
const PACKAGE_NAME = '@intakekit/n8n-nodes-incident-intake';
const PORT = Number(process.env.E2E_N8N_LIFECYCLE_PORT ?? 5708);
const HOUR = 3_600_000;
const senderSecret = `whsec_${randomBytes(32).toString('base64')}`;
const WORKFLOWS = { intake: 'LifecycleIntake1', events: 'LifecycleEvents1', owner: 'LifecycleOwner01', evidence: 'LifecycleEviden1', classify: 'LifecycleClassif', report: 'LifecycleReport1' } as const;
const STORE = { incidentIntakeStoreApi: { id: 'LifecycleStore01', name: 'Intake store' } };
const pkg = (type: string) => `${PACKAGE_NAME}.${type}`;
let n8n: N8nInstance;
let userFolder: string;

function workflow(id: string, nodes: object[], connections: object = {}) {
  return { id, name: id, nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

/** A webhook at /webhook/lifecycle/<path> running one Incident Intake incident operation, answering with its output. */
function operationWorkflow(id: string, path: string, operation: string, parameters: Record<string, unknown>) {
  const hook = { id: randomUUID(), name: 'Request', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path: `lifecycle/${path}`, responseMode: 'lastNode', options: {} } };
  const act = {
    id: randomUUID(), name: 'Incident', type: pkg('incidentIntake'), typeVersion: 1, position: [300, 0],
    parameters: { resource: 'incident', operation, tenant: 'acme', incidentId: '={{ $json.body.incidentId }}', actor: 'ciso', ...parameters }, credentials: STORE,
  };
  return workflow(id, [hook, act], { Request: { main: [[{ node: 'Incident', type: 'main', index: 0 }]] } });
}

async function prepare(): Promise<void> {
  await cp(PACKAGE_DIR, join(userFolder, '.n8n', 'nodes', 'node_modules', ...PACKAGE_NAME.split('/')), { recursive: true });
  const credentials = [
    { id: 'LifecycleStore01', name: 'Intake store', type: 'incidentIntakeStoreApi', data: { backend: 'sqlite', sqlitePath: '' } },
    { id: 'LifecycleSender1', name: 'Sender', type: 'incidentIntakeSourceAuthApi', data: { scheme: 'standard-webhooks', secret: senderSecret } },
  ];
  await writeFile(join(userFolder, 'credentials.json'), JSON.stringify(credentials));
  const intake = {
    id: randomUUID(), name: 'Intake', type: pkg('incidentIntakeTrigger'), typeVersion: 1, position: [0, 0], webhookId: randomUUID(),
    parameters: { path: 'lifecycle/intake', sourceId: 'lifecycle', provider: 'generic', mode: 'auto-create', options: { tenant: 'acme' } },
    credentials: { incidentIntakeSourceAuthApi: { id: 'LifecycleSender1', name: 'Sender' }, ...STORE },
  };
  const events = {
    id: randomUUID(), name: 'Incident events', type: pkg('incidentEventsTrigger'), typeVersion: 1, position: [0, 0],
    parameters: { tenant: 'acme', kinds: [], scan: true, leads: '800h, 10s', scanEvery: 1 }, credentials: STORE,
  };
  const workflows = join(userFolder, 'workflows');
  await mkdir(workflows);
  const all = [
    workflow(WORKFLOWS.intake, [intake]),
    workflow(WORKFLOWS.events, [events]),
    operationWorkflow(WORKFLOWS.owner, 'owner', 'setOwner', { owner: '={{ $json.body.owner }}' }),
    operationWorkflow(WORKFLOWS.evidence, 'evidence', 'addEvidence', { evidenceKind: 'link', evidenceValue: '={{ $json.body.value }}' }),
    operationWorkflow(WORKFLOWS.classify, 'classify', 'classify', { doraMajor: true, classifiedAt: '={{ $json.body.classifiedAt }}' }),
    operationWorkflow(WORKFLOWS.report, 'report', 'recordSubmission', { report: '={{ $json.body.report }}', evidenceIds: '={{ $json.body.evidenceIds ?? "" }}' }),
  ];
  for (const item of all) await writeFile(join(workflows, `${item.id}.json`), JSON.stringify(item));
  await n8n.cli('import:credentials', `--input=${join(userFolder, 'credentials.json')}`);
  await n8n.cli('import:workflow', '--separate', `--input=${workflows}`);
  for (const id of Object.values(WORKFLOWS)) await n8n.cli('publish:workflow', `--id=${id}`);
}

async function sendIncident(status: string) {
  const body = { type: 'incident.updated', timestamp: new Date().toISOString(), data: { id: 'DORA-N8N-1', title: 'Core banking down', detected_at: new Date(Date.now() - 60_000).toISOString(), severity: 'critical', status, affected_systems: ['core-banking'] } };
  const raw = Buffer.from(JSON.stringify(body));
  const response = await fetch(`${n8n.baseUrl}/webhook/lifecycle/intake`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', senderSecret, raw, { id: `msg_${randomUUID()}` }) } });
  return { status: response.status, json: (await response.json()) as any };
}

async function act(path: string, body: Record<string, unknown>) {
  const response = await fetch(`${n8n.baseUrl}/webhook/lifecycle/${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Every item the Incident Events Trigger emitted so far, over all its executions. */
const emitted = () => n8n.executions(WORKFLOWS.events).flatMap((execution) => execution.outputs['Incident events']?.[0] ?? []) as any[];
const labels = () => emitted().map((item) => [item.kind, item.details?.report ?? '', item.details?.lead ?? ''].join(' ').trim());
async function arrived(label: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!labels().includes(label)) {
    if (Date.now() > deadline) throw new Error(`waiting for "${label}"; got ${JSON.stringify(labels())}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(async () => {
  if (!N8N_DIR || !PACKAGE_DIR) throw new Error('run through npm run test:n8n (E2E_N8N_DIR and E2E_PACKAGE_DIR are set there)');
  userFolder = await mkdtemp(join(tmpdir(), 'n8n-lifecycle-e2e-'));
  n8n = new N8nInstance(N8N_DIR, userFolder, PORT);
  await prepare();
  await n8n.start();
  await n8n.waitForWebhook('/webhook/lifecycle/intake');
}, 300_000);

afterAll(async () => {
  await n8n?.stop();
  if (process.env.E2E_KEEP !== '1' && userFolder) await rm(userFolder, { recursive: true, force: true });
}, 60_000);

describe('the Incident Events Trigger in a real n8n', () => {
  it('carries a DORA major incident to the final report with every lifecycle event and deadline alert emitted once, across a restart', async () => {
    expect((await sendIncident('open')).status).toBe(202);
    expect((await sendIncident('acknowledged')).status).toBe(202);
    await arrived('incident.acknowledged');
    const incidentId = emitted()[0].incidentId as string;
    expect(emitted()[0]).toMatchObject({ kind: 'incident.acknowledged', tenant: 'acme', attempt: 1, details: { from: 'open', to: 'acknowledged' } });

    await act('owner', { incidentId, owner: 'oncall-core' });
    const evidence = await act('evidence', { incidentId, value: 'https://status.example.com/core' });
    const classifiedAt = Date.now() - 4 * HOUR + 20_000;
    await act('classify', { incidentId, classifiedAt: new Date(classifiedAt).toISOString() });
    const initialDue = new Date(classifiedAt + 4 * HOUR).toISOString();
    await arrived('deadline.approaching dora.initial 33d8h');
    await arrived('deadline.approaching dora.initial 10s');
    await arrived('deadline.missed dora.initial');

    // A restart of n8n: the trigger resumes its subscription; nothing is lost or emitted again.
    await n8n.stop();
    await n8n.start();
    await n8n.waitForWebhook('/webhook/lifecycle/report');

    await act('report', { incidentId, report: 'dora.initial', evidenceIds: evidence.id });
    await arrived('deadline.approaching dora.intermediate 33d8h');
    await act('report', { incidentId, report: 'dora.intermediate' });
    await arrived('deadline.approaching dora.final 33d8h');
    await act('report', { incidentId, report: 'dora.final' });
    await arrived('report.submitted dora.final');
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    expect([...labels()].sort()).toEqual([...DORA_LIFECYCLE_EVENTS].sort());
    expect(new Set(emitted().map((item) => item.id)).size).toBe(emitted().length);
    const missed = emitted().find((item) => item.kind === 'deadline.missed');
    expect(missed).toMatchObject({ incidentId, actor: null, details: { regime: 'dora', report: 'dora.initial', due: initialDue }, incident: { title: 'Core banking down', doraMajor: true } });
    expect(missed.occurredAt).toBeGreaterThanOrEqual(Date.parse(initialDue));
    expect(emitted().find((item) => item.kind === 'report.submitted' && item.details.report === 'dora.initial').details).toMatchObject({ evidenceIds: [evidence.id] });
  }, 240_000);
});
