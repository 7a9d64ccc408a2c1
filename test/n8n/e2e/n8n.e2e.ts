import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listIncidents } from '../../../core/incidents/incident-queries';
import { signRequest } from '../../../core/signing';
import { openSqliteStore } from '../../../core/store/sqlite/open-sqlite-store';
import { N8nInstance } from './n8n-instance';
import { incidentIoStandIn, receiverStandIn } from './stand-ins';

const N8N_DIR = process.env.E2E_N8N_DIR!;
const PACKAGE_DIR = process.env.E2E_PACKAGE_DIR!;
const PACKAGE_NAME = '@intakekit/n8n-nodes-incident-intake';
const TEMPLATES = join(__dirname, '..', '..', '..', 'examples', 'n8n');
const PORT = Number(process.env.E2E_N8N_PORT ?? 5690);

const WORKFLOW = { review: 'IntakeReview0001', decision: 'IntakeDecision01', pagerduty: 'IntakePagerDuty1', worker: 'IntakeDelivery01', ownStore: 'IntakeOwnStore01' } as const;
/** The store of the own-store workflow: no delivery node or worker uses it, so only its trigger can hold it open. */
const OWN_STORE = join('incident-intake', 'own-store.sqlite');
const secrets = {
  generic: `whsec_${randomBytes(32).toString('base64')}`,
  pagerduty: randomBytes(24).toString('hex'),
  receiver: `whsec_${randomBytes(32).toString('base64')}`,
  incidentIo: `e2e-key-${randomBytes(16).toString('hex')}`,
  outboxKey: randomBytes(32).toString('base64'),
};

const receiver = receiverStandIn();
const incidentIo = incidentIoStandIn(secrets.incidentIo);
let n8n: N8nInstance;
let userFolder: string;

function genericEvent(id: string, overrides: Record<string, unknown> = {}) {
  return { type: 'incident.created', timestamp: new Date().toISOString(), data: { id, title: `Payments API errors ${id}`, detected_at: new Date().toISOString(), severity: 'high', status: 'open', affected_systems: ['payments-api'], ...overrides } };
}

function pagerDutyEvent(id: string) {
  return {
    event: {
      id: `evt-${id}`,
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: new Date().toISOString(),
      data: { id, type: 'incident', title: `Disk full on db-${id}`, urgency: 'high', status: 'triggered', priority: { summary: 'P1' }, html_url: `https://acme.pagerduty.com/incidents/${id}`, created_at: new Date().toISOString(), service: { summary: 'Core DB' } },
    },
  };
}

async function send(path: string, body: unknown, sign: (raw: Buffer) => Record<string, string>) {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const response = await fetch(`${n8n.baseUrl}${path}`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...sign(raw) } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, any>) : undefined };
}

const signedGeneric = (raw: Buffer) => signRequest('standard-webhooks', secrets.generic, raw, { id: `msg_${randomUUID()}` });
const signedPagerDuty = (raw: Buffer) => ({ ...signRequest('pagerduty', secrets.pagerduty, raw), 'x-webhook-id': randomUUID() });
const sendGeneric = (body: unknown, sign = signedGeneric) => send('/webhook/incidents/generic', body, sign);

async function withStore<T>(work: (store: Awaited<ReturnType<typeof openSqliteStore>>) => Promise<T>): Promise<T> {
  const store = await openSqliteStore(join(userFolder, '.n8n', 'incident-intake', 'intake.sqlite'));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function prepareUserFolder(receiverUrl: string, incidentIoUrl: string): Promise<void> {
  await cp(PACKAGE_DIR, join(userFolder, '.n8n', 'nodes', 'node_modules', ...PACKAGE_NAME.split('/')), { recursive: true });
  // The stand-in receiver and incident.io listen on loopback, which deliveries refuse unless allowed.
  const store = { id: 'IntakeStoreLocal', name: 'Intake store (SQLite)', type: 'incidentIntakeStoreApi', data: { backend: 'sqlite', sqlitePath: '', outboxEncryptionKey: secrets.outboxKey, allowedDeliveryHosts: '127.0.0.1' } };
  const credentials = [
    store,
    { id: 'IntakeOwnStore01', name: 'Own store (SQLite)', type: 'incidentIntakeStoreApi', data: { backend: 'sqlite', sqlitePath: OWN_STORE } },
    { id: 'GenericSenderAuth', name: 'Generic sender (Standard Webhooks)', type: 'incidentIntakeSourceAuthApi', data: { scheme: 'standard-webhooks', secret: secrets.generic } },
    { id: 'PagerDutyAuth001', name: 'PagerDuty webhook signature', type: 'incidentIntakeSourceAuthApi', data: { scheme: 'pagerduty', secret: secrets.pagerduty } },
    { id: 'ReceiverSigning', name: 'Ops receiver signing secret', type: 'signedWebhookApi', data: { scheme: 'standard-webhooks', secret: secrets.receiver } },
    { id: 'IncidentIoApiKey', name: 'incident.io API', type: 'incidentIoApi', data: { apiKey: secrets.incidentIo, baseUrl: incidentIoUrl } },
  ];
  await writeFile(join(userFolder, 'credentials.json'), JSON.stringify(credentials));
  const workflows = join(userFolder, 'workflows');
  await mkdir(workflows);
  for (const file of await readdir(TEMPLATES)) {
    // The templates point at example hosts; the suite points them at its loopback stand-ins, and lowers
    // the ACME tenant's daily budget so that the fourth request meets 429.
    const text = (await readFile(join(TEMPLATES, file), 'utf8')).replaceAll('https://receiver.example.com/incidents', `${receiverUrl}/incidents`);
    const workflow = JSON.parse(text);
    if (workflow.id === WORKFLOW.pagerduty) workflow.nodes[0].parameters.limits = { tenantPerDay: 3 };
    await writeFile(join(workflows, file), JSON.stringify(workflow));
  }
  await writeFile(join(workflows, 'own-store.json'), JSON.stringify(ownStoreWorkflow()));
  await n8n.cli('import:credentials', `--input=${join(userFolder, 'credentials.json')}`);
  await n8n.cli('import:workflow', '--separate', `--input=${workflows}`);
  for (const id of Object.values(WORKFLOW)) await n8n.cli('publish:workflow', `--id=${id}`);
}

/** A trigger alone on its own store: nothing else in n8n keeps that store open. */
function ownStoreWorkflow(): object {
  const trigger = {
    id: randomUUID(),
    name: 'Own store intake',
    type: `${PACKAGE_NAME}.incidentIntakeTrigger`,
    typeVersion: 1,
    position: [0, 0],
    webhookId: randomUUID(),
    parameters: { path: 'incidents/own-store', sourceId: 'own-store', provider: 'generic', mode: 'review' },
    credentials: { incidentIntakeSourceAuthApi: { id: 'GenericSenderAuth', name: 'Generic sender (Standard Webhooks)' }, incidentIntakeStoreApi: { id: 'IntakeOwnStore01', name: 'Own store (SQLite)' } },
  };
  return { id: WORKFLOW.ownStore, name: 'Own store intake', nodes: [trigger], connections: {}, settings: { executionOrder: 'v1' }, active: false };
}

/** The file descriptors through which n8n's process holds a file open (Linux /proc), as "fd→inode" strings. */
async function openDescriptors(pid: number, file: string): Promise<string[]> {
  const found: string[] = [];
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (target === file) found.push(`${fd}→${(await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '')).match(/ino:\s*(\d+)/)?.[1] ?? '?'}`);
  }
  return found;
}

beforeAll(async () => {
  if (!N8N_DIR || !PACKAGE_DIR) throw new Error('run through npm run test:n8n (E2E_N8N_DIR and E2E_PACKAGE_DIR are set there)');
  userFolder = await mkdtemp(join(tmpdir(), 'n8n-e2e-'));
  n8n = new N8nInstance(N8N_DIR, userFolder, PORT);
  const [receiverUrl, incidentIoUrl] = await Promise.all([receiver.listen(), incidentIo.listen()]);
  await prepareUserFolder(receiverUrl, incidentIoUrl);
  await n8n.start();
  await n8n.waitForWebhook('/webhook/incidents/generic');
  await n8n.waitForWebhook('/webhook/incidents/pagerduty');
}, 300_000);

afterAll(async () => {
  await n8n?.stop();
  await Promise.all([receiver.close(), incidentIo.close()]);
  if (process.env.E2E_KEEP !== '1' && userFolder) await rm(userFolder, { recursive: true, force: true });
}, 60_000);

describe('Incident Intake in a real n8n 2.41.1', () => {
  let reviewedEventId: string;

  it('answers a bad signature with 401 itself and starts no execution', async () => {
    const before = n8n.executions(WORKFLOW.review).length;
    const response = await sendGeneric(genericEvent('bad-sig'), (raw) => signRequest('standard-webhooks', `whsec_${randomBytes(32).toString('base64')}`, raw));
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ outcome: 'unauthorized' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(n8n.executions(WORKFLOW.review)).toHaveLength(before);
  });

  it('answers 413 for a body over the source limit', async () => {
    const response = await sendGeneric(genericEvent('big', { description: 'x'.repeat(70 * 1024) }));
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ outcome: 'payload_too_large' });
  });

  it('routes a valid event to the Review output and answers 202 with the event id', async () => {
    const response = await sendGeneric(genericEvent('ext-1001'));
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ outcome: 'accepted', events: [{ state: 'pending_review' }] });
    reviewedEventId = response.json!.events[0].id;
    const [execution] = await n8n.waitForExecutions(WORKFLOW.review, (all) => all.length >= 1);
    const [review, incident, quarantined] = execution!.outputs['Generic alerts']!;
    expect(review).toEqual([expect.objectContaining({ id: reviewedEventId, state: 'pending_review', sourceId: 'generic-webhooks' })]);
    expect(incident ?? []).toEqual([]);
    expect(quarantined ?? []).toEqual([]);
    expect(execution!.outputs['Awaiting review']![0]).toHaveLength(1);
  });

  it('answers a resend of the same message from the receipt, without a new execution', async () => {
    const body = Buffer.from(JSON.stringify(genericEvent('ext-1002')));
    const headers = signRequest('standard-webhooks', secrets.generic, body, { id: 'msg_fixed_resend' });
    const first = await send('/webhook/incidents/generic', body.toString(), () => headers);
    await n8n.waitForExecutions(WORKFLOW.review, (all) => all.length >= 2);
    const again = await send('/webhook/incidents/generic', body.toString(), () => headers);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ outcome: 'duplicate', receiptId: first.json!.receiptId });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(n8n.executions(WORKFLOW.review)).toHaveLength(2);
  });

  it('quarantines an event without mandatory fields and routes it to Quarantined', async () => {
    const response = await sendGeneric({ type: 'incident.created', data: { id: 'ext-broken' } });
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ outcome: 'quarantined' });
    const executions = await n8n.waitForExecutions(WORKFLOW.review, (all) => all.length >= 3);
    const [, , quarantined] = executions.at(-1)!.outputs['Generic alerts']!;
    expect(quarantined).toEqual([expect.objectContaining({ state: 'quarantined', reasons: expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]) })]);
    expect(executions.at(-1)!.outputs['Quarantined']![0]).toHaveLength(1);
  });

  it('promotes a reviewed event through the Incident Intake node and delivers it signed to the receiver', async () => {
    const response = await fetch(`${n8n.baseUrl}/webhook/review-decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: reviewedEventId, actor: 'alice@example.com', reason: 'confirmed outage' }),
    });
    expect(response.status).toBe(200);
    const delivery = (await response.json()) as Record<string, unknown>;
    // Promote enqueued it for the node wired after it, in its own transaction: the node found it there.
    expect(delivery).toMatchObject({ destinationId: 'ops-receiver', eventKind: 'incident.created', created: false });
    const incidentId = delivery.incidentId as string;
    await waitFor(() => receiver.requests.some((request) => request.status === 200 && request.body.includes(incidentId)));
    const request = receiver.requests.find((candidate) => candidate.body.includes(incidentId))!;
    const verified = new Webhook(secrets.receiver).verify(request.body, request.headers as Record<string, string>) as { type: string; data: { id: string } };
    expect(verified).toMatchObject({ type: 'incident.created', data: { id: incidentId } });
    const event = await withStore((store) => store.transaction((r) => r.events.get('default', reviewedEventId)));
    expect(event).toMatchObject({ state: 'promoted', decidedBy: 'alice@example.com', incidentId });
  });

  it('retries through a receiver outage with the Delivery Worker Trigger and emits the delivered result', async () => {
    const reviewed = await sendGeneric(genericEvent('ext-2001'));
    const eventId = reviewed.json!.events[0].id as string;
    const workerRunsBefore = n8n.executions(WORKFLOW.worker).length;
    receiver.failNext(2);
    const startedAt = receiver.requests.length;
    const response = await fetch(`${n8n.baseUrl}/webhook/review-decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventId, actor: 'bob@example.com', reason: 'customer impact' }),
    });
    const { incidentId } = (await response.json()) as { incidentId: string };
    await waitFor(() => receiver.requests.slice(startedAt).some((request) => request.status === 200), 30_000);
    const attempts = receiver.requests.slice(startedAt).filter((request) => request.body.includes(incidentId));
    expect(attempts.map((attempt) => attempt.status)).toEqual([503, 503, 200]);
    expect(new Set(attempts.map((attempt) => attempt.headers['webhook-id'])).size).toBe(1);
    const runs = await n8n.waitForExecutions(WORKFLOW.worker, (all) => all.slice(workerRunsBefore).some((run) => JSON.stringify(run.outputs).includes(incidentId)));
    const result = runs.flatMap((run) => run.outputs['Delivery results']?.[0] ?? []).find((item) => item.incidentId === incidentId);
    expect(result).toMatchObject({ status: 'delivered', final: true, attempt: 3, httpStatus: 200, destinationId: 'ops-receiver' });
  });

  it('auto-creates PagerDuty incidents in incident.io and answers 429 once the tenant budget is spent', async () => {
    for (const id of ['PD1', 'PD2', 'PD3']) {
      const response = await send('/webhook/incidents/pagerduty', pagerDutyEvent(id), signedPagerDuty);
      expect(response.status).toBe(202);
      expect(response.json).toMatchObject({ outcome: 'accepted' });
    }
    await n8n.waitForExecutions(WORKFLOW.pagerduty, (all) => all.length >= 3);
    const executionsBefore = n8n.executions(WORKFLOW.pagerduty).length;
    const limited = await send('/webhook/incidents/pagerduty', pagerDutyEvent('PD4'), signedPagerDuty);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    await waitFor(() => incidentIo.requests.filter((request) => request.path === '/v2/incidents').length === 3, 30_000);
    const creations = incidentIo.requests.filter((request) => request.path === '/v2/incidents').map((request) => JSON.parse(request.body));
    expect(creations.map((body) => body.severity_id)).toEqual(['sev_critical', 'sev_critical', 'sev_critical']);
    expect(incidentIo.requests.filter((request) => request.path === '/v1/severities').length).toBeGreaterThanOrEqual(1);
    expect(new Set(creations.map((body) => body.idempotency_key)).size).toBe(3);
    expect(n8n.executions(WORKFLOW.pagerduty)).toHaveLength(executionsBefore);
    const incidents = await withStore((store) => listIncidents(store, 'acme', { view: 'active' }));
    expect(incidents).toHaveLength(3);
  });

  it('resumes a pending retry after an n8n restart from the sealed destination, without any node running again', async () => {
    const reviewed = await sendGeneric(genericEvent('ext-3001'));
    const eventId = reviewed.json!.events[0].id as string;
    // Retry-After keeps the running worker from trying again (much) before n8n is stopped.
    receiver.failNext(1_000, 8);
    const startedAt = receiver.requests.length;
    const response = await fetch(`${n8n.baseUrl}/webhook/review-decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventId, actor: 'carol@example.com', reason: 'after-hours outage' }),
    });
    const { incidentId, deliveryId } = (await response.json()) as { incidentId: string; deliveryId: string };
    const attemptsOf = () => receiver.requests.slice(startedAt).filter((request) => request.body.includes(incidentId));
    await waitFor(() => attemptsOf().length === 1);

    await n8n.stop();
    const executionsBefore = n8n.executions().length;
    const workerRunsBefore = n8n.executions(WORKFLOW.worker).length;
    receiver.failNext(0);
    await n8n.start();
    await n8n.waitForWebhook('/webhook/incidents/generic');
    await waitFor(() => attemptsOf().some((attempt) => attempt.status === 200), 45_000);

    const statuses = attemptsOf().map((attempt) => attempt.status);
    expect(statuses).toEqual([...statuses.slice(0, -1).map(() => 503), 200]);
    expect(new Set(attemptsOf().map((attempt) => attempt.headers['webhook-id'])).size).toBe(1);
    const runs = await n8n.waitForExecutions(WORKFLOW.worker, (all) => all.length > workerRunsBefore);
    const result = runs.slice(workerRunsBefore).flatMap((run) => run.outputs['Delivery results']?.[0] ?? []).find((item) => item.incidentId === incidentId);
    expect(result).toMatchObject({ deliveryId, status: 'delivered', attempt: statuses.length, destinationId: 'ops-receiver' });
    expect(n8n.executions().filter((execution) => execution.workflowId !== WORKFLOW.worker)).toHaveLength(executionsBefore - workerRunsBefore);
  }, 120_000);

  it('after the restart (no create hook for published workflows), a trigger opens its store once and keeps it', async () => {
    const file = join(userFolder, '.n8n', OWN_STORE);
    const pid = n8n.pid!;
    await n8n.waitForWebhook('/webhook/incidents/own-store');
    const seen: string[][] = [];
    for (const id of ['own-1', 'own-2', 'own-3', 'own-4']) {
      const response = await send('/webhook/incidents/own-store', genericEvent(id), signedGeneric);
      expect(response.status).toBe(202);
      // Answered: a trigger that opened the store for the request alone has closed it again by now.
      seen.push(await openDescriptors(pid, file));
    }
    expect(seen[0]!.length).toBeGreaterThan(0);
    expect(seen).toEqual(seen.map(() => seen[0]));
  });

  it('never writes a secret into execution data, and the log has no errors from the package', () => {
    const everything = n8n.executions().map((execution) => execution.raw).join('\n');
    for (const secret of Object.values(secrets)) expect(everything).not.toContain(secret);
    const log = n8n.log();
    expect(log).toContain('Editor is now accessible');
    const problems = log.split('\n').filter((line) => /incident-intake|intakekit|IncidentIntake|incidentIo|SignedWebhook|DeliveryWorker/i.test(line) && /error|warn|fail/i.test(line));
    expect(problems).toEqual([]);
    for (const secret of Object.values(secrets)) expect(log).not.toContain(secret);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
