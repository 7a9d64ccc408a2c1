import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashConsolePassword } from '../../../core/console';
import { signRequest } from '../../../core/signing';
import { launchChromium, promoteFromQueue, provenanceOf, replayDeadLetters, screenshotter, sessionOf } from '../../support/host-console-browser';
import { N8nInstance } from './n8n-instance';
import { receiverStandIn } from './stand-ins';

/**
 * The Incident Intake Console node in a real n8n 2.41.1: a review intake, an auto-create intake delivering
 * to a receiver that goes down, the delivery worker, and the console serving all of it from one store,
 * with users (an admin and an auditor) from its credential. Driven in Debian's Chromium.
 */
const N8N_DIR = process.env.E2E_N8N_DIR!;
const PACKAGE_DIR = process.env.E2E_PACKAGE_DIR!;
const PACKAGE_NAME = '@intakekit/n8n-nodes-incident-intake';
const PORT = Number(process.env.E2E_N8N_CONSOLE_PORT ?? 5700);
const CONSOLE_WEBHOOK_ID = randomUUID();
const PASSWORDS = { alice: `alice-${randomBytes(8).toString('hex')}`, audrey: `audrey-${randomBytes(8).toString('hex')}` };
const senderSecret = `whsec_${randomBytes(32).toString('base64')}`;
const receiverSecret = `whsec_${randomBytes(32).toString('base64')}`;
const WORKFLOWS = { review: 'ConsoleReview001', auto: 'ConsoleAuto00001', worker: 'ConsoleWorker001', console: 'ConsoleNode00001' } as const;
const receiver = receiverStandIn();
const shot = screenshotter('n8n');
let n8n: N8nInstance;
let userFolder: string;
let browser: Browser;

const STORE = { incidentIntakeStoreApi: { id: 'ConsoleStore0001', name: 'Intake store' } };
const SENDER = { incidentIntakeSourceAuthApi: { id: 'ConsoleSender001', name: 'Sender' } };
const pkg = (type: string) => `${PACKAGE_NAME}.${type}`;

function workflow(id: string, nodes: object[], connections: object = {}) {
  return { id, name: id, nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

function intakeTrigger(path: string, sourceId: string, mode: 'review' | 'auto-create') {
  return { id: randomUUID(), name: 'Intake', type: pkg('incidentIntakeTrigger'), typeVersion: 1, position: [0, 0], webhookId: randomUUID(), parameters: { path, sourceId, provider: 'generic', mode }, credentials: { ...SENDER, ...STORE } };
}

async function prepare(receiverUrl: string): Promise<void> {
  await cp(PACKAGE_DIR, join(userFolder, '.n8n', 'nodes', 'node_modules', ...PACKAGE_NAME.split('/')), { recursive: true });
  const users = {
    users: [
      { id: 'alice', name: 'Alice Admin', passwordHash: await hashConsolePassword(PASSWORDS.alice), roles: ['admin'], tenants: '*' },
      { id: 'audrey', name: 'Audrey Auditor', passwordHash: await hashConsolePassword(PASSWORDS.audrey), roles: ['viewer'], tenants: '*' },
    ],
  };
  const credentials = [
    { id: 'ConsoleStore0001', name: 'Intake store', type: 'incidentIntakeStoreApi', data: { backend: 'sqlite', sqlitePath: '', outboxEncryptionKey: randomBytes(32).toString('base64'), allowedDeliveryHosts: '127.0.0.1' } },
    { id: 'ConsoleSender001', name: 'Sender', type: 'incidentIntakeSourceAuthApi', data: { scheme: 'standard-webhooks', secret: senderSecret } },
    { id: 'ConsoleSigning01', name: 'Receiver signing', type: 'signedWebhookApi', data: { scheme: 'standard-webhooks', secret: receiverSecret } },
    { id: 'ConsoleUsers0001', name: 'Console users', type: 'incidentIntakeConsoleUsersApi', data: { users: JSON.stringify(users) } },
  ];
  await writeFile(join(userFolder, 'credentials.json'), JSON.stringify(credentials));
  const deliver = {
    id: randomUUID(), name: 'Deliver', type: pkg('signedWebhook'), typeVersion: 1, position: [300, 0],
    parameters: { incidentId: '={{ $json.id }}', url: `${receiverUrl}/incidents`, method: 'POST', destinationId: 'ops-receiver', policy: { maxAttempts: 2, scheduleSeconds: '1', timeoutSeconds: 10 } },
    credentials: { signedWebhookApi: { id: 'ConsoleSigning01', name: 'Receiver signing' }, ...STORE },
  };
  const consoleNode = {
    id: randomUUID(), name: 'Incident Intake Console', type: pkg('incidentIntakeConsole'), typeVersion: 1, position: [0, 0], webhookId: CONSOLE_WEBHOOK_ID,
    parameters: { path: 'console', deliverTo: 'webhook:ops-receiver' }, credentials: { ...STORE, incidentIntakeConsoleUsersApi: { id: 'ConsoleUsers0001', name: 'Console users' } },
  };
  const workflows = join(userFolder, 'workflows');
  await mkdir(workflows);
  const all = [
    workflow(WORKFLOWS.review, [intakeTrigger('console-e2e/review', 'console-review', 'review')]),
    workflow(WORKFLOWS.auto, [intakeTrigger('console-e2e/auto', 'console-auto', 'auto-create'), deliver], { Intake: { main: [[], [{ node: 'Deliver', type: 'main', index: 0 }], []] } }),
    workflow(WORKFLOWS.worker, [{ id: randomUUID(), name: 'Delivery results', type: pkg('deliveryWorkerTrigger'), typeVersion: 1, position: [0, 0], parameters: { emit: 'final' }, credentials: STORE }]),
    workflow(WORKFLOWS.console, [consoleNode]),
  ];
  for (const item of all) await writeFile(join(workflows, `${item.id}.json`), JSON.stringify(item));
  await n8n.cli('import:credentials', `--input=${join(userFolder, 'credentials.json')}`);
  await n8n.cli('import:workflow', '--separate', `--input=${workflows}`);
  for (const id of Object.values(WORKFLOWS)) await n8n.cli('publish:workflow', `--id=${id}`);
}

async function send(path: string, body: unknown) {
  const raw = Buffer.from(JSON.stringify(body));
  const response = await fetch(`${n8n.baseUrl}${path}`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', senderSecret, raw, { id: `msg_${randomUUID()}` }) } });
  return { status: response.status, json: (await response.json()) as any };
}

const event = (id: string, title: string) => ({ type: 'incident.created', data: { id, title, severity: 'high', status: 'open', detected_at: new Date().toISOString(), affected_systems: ['payments-api'] } });
const consoleBase = () => `${n8n.baseUrl}/webhook/${CONSOLE_WEBHOOK_ID}/console`;

async function signIn(user: keyof typeof PASSWORDS): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  // The node's own address leads to the console's sign-in.
  await page.goto(`${n8n.baseUrl}/webhook/console`);
  await page.waitForURL(/\/sign-in/);
  await page.locator('input[name="user"]').fill(user);
  await page.locator('input[name="password"]').fill(PASSWORDS[user]);
  await Promise.all([page.waitForURL(/\/queue/), page.locator('form[method="post"] button[type="submit"]').click()]);
  return page;
}

beforeAll(async () => {
  if (!N8N_DIR || !PACKAGE_DIR) throw new Error('run through npm run test:n8n (E2E_N8N_DIR and E2E_PACKAGE_DIR are set there)');
  userFolder = await mkdtemp(join(tmpdir(), 'n8n-console-e2e-'));
  n8n = new N8nInstance(N8N_DIR, userFolder, PORT);
  await prepare(await receiver.listen());
  await n8n.start();
  await n8n.waitForWebhook('/webhook/console-e2e/review');
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await n8n?.stop();
  await receiver.close();
  if (process.env.E2E_KEEP !== '1' && userFolder) await rm(userFolder, { recursive: true, force: true });
}, 60_000);

describe('the Incident Intake Console node in a real n8n', () => {
  it('shows a dead letter after a receiver outage and replays it; the worker delivers it', async () => {
    receiver.failNext(2);
    const accepted = await send('/webhook/console-e2e/auto', event('n8n-cons-2', 'Payments down'));
    expect(accepted.status).toBe(202);
    const page = await signIn('alice');
    await expect
      .poll(async () => {
        await page.goto(`${consoleBase()}/deliveries?state=dead_letter&destination=ops-receiver`);
        return page.locator('table').last().locator('tbody tr', { hasText: 'dead_letter' }).count();
      }, { timeout: 60_000, interval: 1000 })
      .toBe(1);
    await shot(page, 'admin-deliveries-dead-letter');
    expect(await replayDeadLetters(page, consoleBase(), 'ops-receiver')).toBe(1);
    await shot(page, 'admin-deliveries-replayed');
    await expect.poll(() => receiver.requests.filter((request) => request.status === 200).length, { timeout: 60_000, interval: 500 }).toBe(1);
    expect(receiver.requests.filter((request) => request.status === 503)).toHaveLength(2);
    await page.context().close();
    expect(n8n.executions(WORKFLOWS.console)).toHaveLength(0);
  }, 180_000);

  it('signs a user in from its credential, promotes a pending event with a reason and shows the incident and its provenance, starting no execution', async () => {
    const title = 'Checkout <script>alert(1)</script> latency';
    const accepted = await send('/webhook/console-e2e/review', event('n8n-cons-1', title));
    expect(accepted).toMatchObject({ status: 202, json: { events: [{ state: 'pending_review' }] } });
    const eventId = accepted.json.events[0].id as string;

    const page = await signIn('alice');
    await page.getByText(title).first().waitFor();
    await shot(page, 'admin-queue');
    const incidentId = await promoteFromQueue(page, eventId, 'confirmed with the payments team');
    expect(await provenanceOf(page, consoleBase(), incidentId)).toContain(eventId);
    await expect(page.locator('main').innerText()).resolves.toMatch(/confirmed with the payments team/);
    await shot(page, 'admin-incident');
    // The node's "Deliver Promoted Incidents To" destination (sealed by the auto-create workflow's delivery) receives it.
    await expect.poll(() => receiver.requests.filter((request) => request.body.includes(incidentId)).length, { timeout: 60_000, interval: 500 }).toBe(1);

    const { cookie, csrf } = await sessionOf(page);
    const forged = await fetch(`${consoleBase()}/events/${eventId}/reject`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: 'https://evil.example' }, body: `csrf=${encodeURIComponent(csrf ?? '')}&reason=forged` });
    expect(forged.status).toBe(403);
    const noToken = await fetch(`${consoleBase()}/events/${eventId}/reject`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: 'reason=forged' });
    expect(noToken.status).toBe(403);
    await page.context().close();
    // Pages and forms never start the console workflow.
    expect(n8n.executions(WORKFLOWS.console)).toHaveLength(0);
  }, 180_000);

  it('shows the auditor no write controls and refuses their writes', async () => {
    const accepted = await send('/webhook/console-e2e/review', event('n8n-cons-3', 'Disk filling on db-3'));
    const eventId = accepted.json.events[0].id as string;
    const page = await signIn('audrey');
    await page.getByText('Disk filling on db-3').first().waitFor();
    expect(await page.locator('form[action$="/promote"], form[action$="/reject"], a[href*="bulk-reject"]').count()).toBe(0);
    await page.goto(`${consoleBase()}/deliveries`);
    expect(await page.locator('a[href*="/deliveries/replay"], form[action*="/replay"], form[action*="/disable"]').count()).toBe(0);
    await shot(page, 'auditor-deliveries');
    const { cookie, csrf } = await sessionOf(page);
    const write = await fetch(`${consoleBase()}/events/${eventId}/promote`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: `csrf=${encodeURIComponent(csrf ?? '')}&reason=auditors%20may%20not` });
    expect(write.status).toBe(403);
    await page.context().close();
  }, 120_000);
});
