import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { Browser, Page } from 'playwright-core';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { REPO, startNodeRed, type NodeRedProcess } from '../support/node-red-runtime';
import { launchChromium, promoteFromQueue, provenanceOf, replayDeadLetters, screenshotter, sessionOf } from '../support/host-console-browser';
import { WebhookReceiver } from '../delivery/support/webhook-receiver';

/**
 * The console inside a real Node-RED with adminAuth: an admin (`*`), an auditor (`read`) and a user with no
 * incident-intake permission. Signed in through the editor's own login, opened from the editor's sidebar,
 * driven in Debian's Chromium. Needs `npm run build` first (npm test does it).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require(require.resolve('bcryptjs', { paths: [join(REPO, 'node_modules/node-red')] })) as { hashSync(text: string, rounds: number): string };
const PASSWORDS = { admin: 'admin-password-1', auditor: 'auditor-password-1', outsider: 'outsider-password-1' };
const secret = generateStandardWebhookSecret();
const shot = screenshotter('node-red');
let red: NodeRedProcess;
let receiver: WebhookReceiver;
let browser: Browser;
/** The console of the flow's store, as the browser addresses it. */
let CONSOLE: string;

const flows = () => [
  { id: 'n-tab', type: 'tab', label: 'Console flow' },
  { id: 'n-store', type: 'intake-store', name: 'Ops store', sqlitePath: 'console.sqlite' },
  { id: 'n-src', type: 'intake-source', tenant: 'acme', sourceId: 'ops-review', provider: 'generic', mode: 'review', scheme: 'standard-webhooks', credentials: { secret } },
  { id: 'n-auto', type: 'intake-source', tenant: 'acme', sourceId: 'ops-auto', provider: 'generic', mode: 'auto-create', scheme: 'standard-webhooks', credentials: { secret } },
  { id: 'n-intake', z: 'n-tab', type: 'incident-intake', source: 'n-src', store: 'n-store', wires: [[], [], []] },
  { id: 'n-intake-auto', z: 'n-tab', type: 'incident-intake', source: 'n-auto', store: 'n-store', wires: [[], ['n-out'], []] },
  // The flow's own promotion path: a promote review node wired to a delivery node; a console promotion goes there too.
  { id: 'n-review', z: 'n-tab', type: 'incident-review', source: 'n-src', store: 'n-store', action: 'promote', eventId: 'payload.eventId', eventIdType: 'msg', actor: 'payload.actor', actorType: 'msg', reason: 'payload.reason', reasonType: 'msg', wires: [['n-promoted']] },
  { id: 'n-promoted', z: 'n-tab', type: 'webhook-out', store: 'n-store', tenant: 'acme', url: `${receiver.url}/promoted`, allowHosts: '127.0.0.1', scheme: 'none', wires: [[]] },
  { id: 'n-out', z: 'n-tab', type: 'webhook-out', store: 'n-store', tenant: 'acme', url: `${receiver.url}/hooks`, allowHosts: '127.0.0.1', scheme: 'none', maxAttempts: '2', retrySchedule: '0.05', wires: [[]] },
];

async function token(username: keyof typeof PASSWORDS): Promise<string> {
  const response = await request(`${red.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'node-red-editor', grant_type: 'password', scope: '', username, password: PASSWORDS[username] }),
  });
  return ((await response.body.json()) as { access_token: string }).access_token;
}

async function send(path: string, body: unknown) {
  const raw = Buffer.from(JSON.stringify(body));
  const response = await request(`${red.url}${path}`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, raw) } });
  return { status: response.statusCode, body: (await response.body.json()) as any };
}

const event = (id: string, title: string) => ({ type: 'incident.created', data: { id, title, severity: 'high', status: 'open', detected_at: new Date().toISOString(), affected_systems: ['payments-api'] } });

/** Signs in to the Node-RED editor itself, opens the incident intake sidebar and the store's console from it. */
async function openConsoleFromEditor(username: keyof typeof PASSWORDS, name: string): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(20_000);
  const editor = await context.newPage();
  await editor.goto(red.url);
  await editor.locator('#node-dialog-login-username').fill(username);
  await editor.locator('#node-dialog-login-password').fill(PASSWORDS[username]);
  await editor.locator('#node-dialog-login-submit').click();
  await editor.waitForFunction(() => Boolean((window as any).RED?.sidebar && (window as any).RED.incidentIntakeConsole), undefined, { timeout: 60_000 });
  const store = editor.locator('.incident-intake-store[data-store="n-store"]');
  // The editor picks its own sidebar tab while it loads; show ours until it stays shown.
  await expect
    .poll(
      async () => {
        await editor.evaluate(() => (window as any).RED.sidebar.show('incident-intake-console'));
        return store.isVisible();
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(true);
  await shot(editor, `${name}-editor-sidebar`);
  const [consolePage] = await Promise.all([context.waitForEvent('page'), store.locator('.incident-intake-open-console').click()]);
  await consolePage.waitForURL(/\/incident-intake\/console\/store\/n-store\/queue/);
  return consolePage;
}

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  red = await startNodeRed({
    // Nothing leaves the machine, and Node-RED 5 does not ask the admin about update notifications (a modal).
    env: { NODE_RED_DISABLE_TELEMETRY: '1' },
    adminAuth: {
      users: [
        { username: 'admin', passwordHash: bcrypt.hashSync(PASSWORDS.admin, 8), permissions: '*' },
        { username: 'auditor', passwordHash: bcrypt.hashSync(PASSWORDS.auditor, 8), permissions: 'read' },
        { username: 'outsider', passwordHash: bcrypt.hashSync(PASSWORDS.outsider, 8), permissions: 'flows.read' },
      ],
    },
  });
  const deployed = await request(`${red.url}/flows`, {
    method: 'POST',
    body: JSON.stringify(flows()),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token('admin')}`, 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1' },
  });
  expect(deployed.statusCode).toBeLessThan(300);
  await deployed.body.dump();
  browser = await launchChromium();
  CONSOLE = `${red.url}/incident-intake/console/store/n-store`;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await red?.stop();
  await receiver?.close();
});

describe('the console in Node-RED', () => {
  it('gives each editor user the console roles their permissions grant, and none without a sign-in', async () => {
    const stores = async (bearer?: string) => {
      const response = await request(`${red.url}/incident-intake/console/stores`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
      return { status: response.statusCode, body: (await response.body.text()) };
    };
    expect((await stores()).status).toBe(401);
    const auditor = await stores(await token('auditor'));
    expect(auditor.status).toBe(200);
    expect(JSON.parse(auditor.body)).toMatchObject({ roles: ['viewer'], stores: [{ id: 'n-store', label: 'Ops store', pending: { review: 0, quarantined: 0, deadLetters: 0 } }] });
    expect(JSON.parse((await stores(await token('admin'))).body).roles).toEqual(['admin']);
    expect((await stores(await token('outsider'))).status).toBe(403);
    const ticket = await request(`${red.url}/incident-intake/console/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await token('outsider')}` }, body: '{"store":"n-store"}' });
    expect(ticket.statusCode).toBe(403);
    await ticket.body.dump();
  });

  it('lets the admin promote a pending event with a reason, in the editor theme; a forged POST is refused', async () => {
    const title = 'Checkout <img src=x onerror=alert(1)> latency';
    const accepted = await send('/intake/ops-review', event('cons-1', title));
    expect(accepted).toMatchObject({ status: 202, body: { events: [{ state: 'pending_review' }] } });
    const eventId = accepted.body.events[0].id as string;

    const page = await openConsoleFromEditor('admin', 'admin');
    // The hostile title is text, not markup.
    await expect(page.getByText(title).first().isVisible()).resolves.toBe(true);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    // The editor's theme colours, not the console's own.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(240, 240, 240)');
    await shot(page, 'admin-queue');

    const forged = await sessionOf(page);
    const withoutToken = await request(`${new URL(page.url()).origin}/incident-intake/console/store/n-store/events/${eventId}/promote`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: forged.cookie },
      body: 'reason=forged',
    });
    expect(withoutToken.statusCode).toBe(403);
    await withoutToken.body.dump();
    const crossSite = await request(`${new URL(page.url()).origin}/incident-intake/console/store/n-store/events/${eventId}/promote`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: forged.cookie, origin: 'https://evil.example' },
      body: `csrf=${encodeURIComponent(forged.csrf ?? '')}&reason=forged`,
    });
    expect(crossSite.statusCode).toBe(403);
    await crossSite.body.dump();

    const incidentId = await promoteFromQueue(page, eventId, 'confirmed by the on-call engineer');
    await shot(page, 'admin-after-promote');
    expect(await provenanceOf(page, CONSOLE, incidentId)).toContain(eventId);
    await expect(page.getByText('confirmed by the on-call engineer').first().isVisible()).resolves.toBe(true);
    await expect(page.locator('main').innerText()).resolves.toMatch(/node-red:admin/);
    await shot(page, 'admin-incident');
    const sidebar = JSON.parse(await (await request(`${red.url}/incident-intake/console/stores`, { headers: { authorization: `Bearer ${await token('admin')}` } })).body.text());
    expect(sidebar.stores[0].pending.review).toBe(0);
    // Delivered where the flow's promote node delivers.
    await expect.poll(() => receiver.requests.filter((request) => request.path === '/promoted').length, { timeout: 30_000, interval: 300 }).toBe(1);
    expect(JSON.parse(receiver.requests.find((request) => request.path === '/promoted')!.body)).toMatchObject({ data: { title, id: incidentId } });
    await page.context().close();
  }, 120_000);

  it('shows a dead letter after a receiver outage and replays it', async () => {
    receiver.respondWith({ status: 503 }, { status: 503 });
    const accepted = await send('/intake/ops-auto', event('cons-3', 'Payments down'));
    expect(accepted.status).toBe(202);
    const admin = await token('admin');
    const deadLetters = async () => JSON.parse(await (await request(`${red.url}/incident-intake/console/stores`, { headers: { authorization: `Bearer ${admin}` } })).body.text()).stores[0].pending.deadLetters;
    await expect.poll(deadLetters, { timeout: 30_000, interval: 300 }).toBe(1);

    const page = await openConsoleFromEditor('admin', 'operator');
    await page.goto(`${CONSOLE}/deliveries`);
    await expect(page.locator('main').innerText()).resolves.toMatch(/node-red-n-out/);
    await shot(page, 'admin-deliveries-dead-letter');
    expect(await replayDeadLetters(page, CONSOLE, 'node-red-n-out')).toBe(1);
    await shot(page, 'admin-deliveries-replayed');
    // The flow's webhook-out node is still running the outbox: the replayed delivery arrives.
    const hooks = () => receiver.requests.filter((request) => request.path === '/hooks');
    await expect.poll(() => hooks().length, { timeout: 60_000, interval: 300 }).toBe(3);
    await expect.poll(deadLetters, { timeout: 30_000, interval: 300 }).toBe(0);
    await page.context().close();
  }, 120_000);

  it('shows the auditor everything read-only: no write controls, and a write is refused', async () => {
    await send('/intake/ops-review', event('cons-2', 'Disk filling on db-2'));
    const page = await openConsoleFromEditor('auditor', 'auditor');
    await page.getByText('Disk filling on db-2').first().waitFor();
    expect(await page.locator('form[action$="/promote"], form[action$="/reject"], a[href*="bulk-reject"]').count()).toBe(0);
    await expect(page.locator('.who').innerText()).resolves.toMatch(/auditor \(viewer\)/);
    await shot(page, 'auditor-queue');
    const { cookie, csrf } = await sessionOf(page);
    const eventId = (await page.locator('a[href*="/events/"]').first().getAttribute('href'))!.split('/events/')[1];
    const write = await request(`${new URL(page.url()).origin}/incident-intake/console/store/n-store/events/${eventId}/promote`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: `csrf=${encodeURIComponent(csrf ?? '')}&reason=auditors%20may%20not`,
    });
    expect(write.statusCode).toBe(403);
    await write.body.dump();
    await page.context().close();
  }, 120_000);
});
