import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/host-console-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntakeServer, type IntakeServer } from '../../cli/demo/intake-server';
import { hashConsolePassword } from '../../core/console';
import { DeliveryWorker } from '../../core/delivery';
import { parseSourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { openSqliteStore, type Store } from '../../core/store';
import { buildCli, type BuiltCli } from '../cli/build-cli';
import { incidentPayload } from '../support/intake-fixture';
import { WebhookReceiver } from '../delivery/support/webhook-receiver';

const REPO = resolve(__dirname, '../..');
/** Screenshots of every page, kept as test artifacts (gitignored). UPDATE_DOCS_SCREENSHOTS=1 also refreshes the two in docs/. */
const ARTIFACTS = join(REPO, 'test-artifacts/console');
const HOSTILE_TITLE = 'Payments API down <img src=x onerror=alert(1)>';

let dir: string;
let cli: BuiltCli;
let store: Store;
let intake: IntakeServer;
let receiver: WebhookReceiver;
let worker: DeliveryWorker;
let consoleProcess: ChildProcess;
let consoleUrl: string;
let evil: Server;
let browser: Browser;
const secret = generateStandardWebhookSecret();
const source = parseSourceConfig({ tenant: 'acme', id: 'payments-monitor', name: 'Payments monitor', provider: 'generic', auth: { scheme: 'standard-webhooks', secrets: [{ value: secret }] } });

async function startConsoleProcess(storePath: string, usersPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli.main, 'console', '--store', storePath, '--users', usersPath, '--listen', '127.0.0.1:0', '--deliver-to', 'webhook:ops-hook'], { env: cli.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the console did not start: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) (clearTimeout(timer), resolvePromise(match[1]!));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the console exited (${code}): ${output}`)));
  });
  return { child, url };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, user: string, password: string): Promise<void> {
  await page.goto(`${consoleUrl}/sign-in`);
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForLoadState();
  if (!page.url().endsWith('/queue')) throw new Error(`sign-in as ${user} failed: ${await page.locator('main').textContent()}`);
}

async function sendSigned(payload: unknown, id: string): Promise<Response> {
  const raw = Buffer.from(JSON.stringify(payload));
  return fetch(`${intake.url}/intake/${source.id}`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, raw, { id }) } });
}

/** Runs the worker until the delivery reaches a final state for this attempt round (real time, short retry schedule). */
async function deliverUntil(state: string): Promise<void> {
  for (let round = 0; round < 100; round++) {
    await worker.runOnce();
    const deliveries = await store.transaction((r) => r.deliveries.list('acme', { destinationId: 'ops-hook' }));
    if (deliveries.length > 0 && deliveries.every((delivery) => delivery.state === state)) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  throw new Error(`the delivery never became ${state}`);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'console-browser-'));
  const storePath = join(dir, 'intake.sqlite');
  const usersPath = join(dir, 'users.yaml');
  writeFileSync(
    usersPath,
    `users:\n  - id: rita\n    name: Rita Reviewer\n    passwordHash: "${await hashConsolePassword('rita-password')}"\n    roles: [reviewer, operator]\n    tenants: [acme]\n` +
      `  - id: audrey\n    name: Audrey Auditor\n    passwordHash: "${await hashConsolePassword('audrey-password')}"\n    roles: [viewer]\n    tenants: [acme]\n`,
  );
  cli = await buildCli();
  store = await openSqliteStore(storePath);
  intake = await startIntakeServer({ store, sources: [{ source, normaliser: passThroughNormaliser }] });
  receiver = await WebhookReceiver.start({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
  worker = new DeliveryWorker({
    store,
    destinations: [{ kind: 'webhook', id: 'ops-hook', tenant: 'acme', url: `${receiver.url}/hooks/incidents`, signing: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, policy: { maxAttempts: 2, scheduleMs: [200] } }],
  });
  ({ child: consoleProcess, url: consoleUrl } = await startConsoleProcess(storePath, usersPath));
  evil = createServer((_, response) => {
    // Another origin's page that tries to promote with a form the reviewer never saw.
    response.writeHead(200, { 'content-type': 'text/html' }).end(
      `<form id="f" method="post" action="${consoleUrl}/events/EVENT/promote"><input name="reason" value="forged"><input name="csrf" value="guess"></form><script>document.getElementById('f').submit()</script>`,
    );
  });
  await new Promise<void>((resolveListen) => evil.listen(0, '127.0.0.1', resolveListen));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  consoleProcess?.kill('SIGTERM');
  await worker?.stop();
  await receiver?.close();
  await intake?.close();
  await store?.close();
  evil?.closeAllConnections();
  evil?.close();
  await cli?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the standalone console in Chromium', () => {
  let eventId: string;
  let incidentId: string;

  it('a reviewer signs in, sees the event sent a moment before (its title as text), and promotes it with a reason', { timeout: 120_000 }, async () => {
    const sent = await sendSigned(incidentPayload({ externalId: 'PAY-7', title: HOSTILE_TITLE, affectedSystems: ['payments-api'], regulatoryRefs: ['DORA'] }), 'msg_browser_1');
    expect(sent.status).toBe(202);
    eventId = ((await sent.json()) as { events: Array<{ id: string }> }).events[0]!.id;
    await sendSigned({ externalId: 'BROKEN-1', title: 'no severity here' }, 'msg_browser_2');

    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => (dialogs.push(dialog.message()), void dialog.dismiss()));
    await signIn(page, 'rita', 'rita-password');
    const card = page.locator(`article#${eventId}`);
    await expect.poll(() => card.locator('dd strong').first().textContent()).toBe(HOSTILE_TITLE);
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await card.locator('button[data-copy]').first().isVisible()).toBe(true); // the console's script ran under the CSP
    await shot(page, 'review-queue');
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') copyFileSync(join(ARTIFACTS, 'review-queue.png'), join(REPO, 'docs/images/console-review-queue.png'));

    await card.locator('form[action$="/promote"] input[name=reason]').fill('confirmed with the payments on-call');
    await Promise.all([page.waitForURL(`${consoleUrl}/queue`), card.locator('form[action$="/promote"] button').click()]);
    const flash = await page.locator('.flash').textContent();
    incidentId = /incident (inc_[a-z0-9]+)/.exec(flash ?? '')![1]!;
    expect(dialogs).toEqual([]);

    await page.goto(`${consoleUrl}/incidents`);
    await shot(page, 'incidents');
    await page.click(`a[href="/incidents/${incidentId}"]`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Incident');
    const provenance = page.locator('table', { has: page.locator('th', { hasText: 'body sha256' }) });
    expect(await provenance.locator(`a[href="/events/${eventId}"]`).count()).toBe(1);
    expect(await provenance.locator('td').first().textContent()).toBe('created');
    expect(await page.locator('body').textContent()).toContain('rita');
    await shot(page, 'incident');

    for (const [path, name] of [['/quarantine', 'quarantine'], ['/sources', 'sources'], ['/workbench?source=payments-monitor', 'workbench'], ['/audit', 'audit']] as const) {
      await page.goto(consoleUrl + path);
      expect(await page.locator('h1').count()).toBe(1);
      await shot(page, name);
    }
    expect(await page.locator('.card .ok').first().textContent()).toBe('Hash chain intact');
    await context.close();
  });

  it('shows the dead letter after a receiver outage and replays it', { timeout: 120_000 }, async () => {
    receiver.alwaysRespond({ status: 503 });
    await deliverUntil('dead_letter');
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const page = await context.newPage();
    await signIn(page, 'rita', 'rita-password');
    await page.goto(`${consoleUrl}/deliveries`);
    const row = page.locator('tr', { has: page.locator('a', { hasText: 'ops-hook' }) });
    expect(await row.locator('strong.bad').textContent()).toBe('1');
    await shot(page, 'deliveries');
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') copyFileSync(join(ARTIFACTS, 'deliveries.png'), join(REPO, 'docs/images/console-deliveries.png'));
    expect(await page.content()).not.toContain(receiver.url);

    const delivery = (await store.transaction((r) => r.deliveries.list('acme', { destinationId: 'ops-hook' })))[0]!;
    await page.goto(`${consoleUrl}/deliveries/${delivery.id}`);
    expect(await page.locator('tbody tr').count()).toBe(2);
    expect(await page.locator('tbody tr').first().locator('td').nth(3).textContent()).toBe('503');
    await shot(page, 'delivery');

    await page.goto(`${consoleUrl}/deliveries`);
    await row.locator('a', { hasText: 'replay dead letters' }).click();
    expect(await page.locator('.card p').first().textContent()).toContain('1 dead letters of ops-hook match');
    await shot(page, 'replay-confirm');
    receiver.alwaysRespond({ status: 204 });
    await Promise.all([page.waitForURL(/\/deliveries\?destination=ops-hook$/), page.click('button:has-text("replay 1 dead letters")')]);
    expect(await page.locator('.flash').textContent()).toBe('Replayed 1 dead letters of ops-hook.');
    await deliverUntil('delivered');
    await page.reload();
    expect(await page.locator('td.ok', { hasText: 'delivered' }).count()).toBe(1);
    expect(receiver.requests.at(-1)!.verified).toBe(true);
    await context.close();
  });

  it('a read-only user sees no write control, and forged POSTs are refused', { timeout: 120_000 }, async () => {
    const pending = ((await (await sendSigned(incidentPayload({ externalId: 'PAY-8', title: 'Second outage' }), 'msg_browser_3')).json()) as { events: Array<{ id: string }> }).events[0]!.id;
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const page = await context.newPage();
    await signIn(page, 'audrey', 'audrey-password');
    for (const path of ['/queue', `/events/${pending}`, '/sources', '/deliveries', `/incidents/${incidentId}`, '/audit']) {
      await page.goto(consoleUrl + path);
      const writes = await page.locator('form[method=post]').evaluateAll((forms) => forms.map((form) => form.getAttribute('action')));
      expect(writes.filter((action) => action !== '/sign-out' && action !== '/tenant'), path).toEqual([]);
    }
    await page.goto(`${consoleUrl}/queue`);
    await shot(page, 'queue-read-only');
    // The auditor crafts the promote request by hand, with her own valid CSRF token: the role is checked.
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    const status = await page.evaluate(
      async ([url, token]) => (await fetch(url, { method: 'POST', body: new URLSearchParams({ reason: 'me too', csrf: token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status,
      [`${consoleUrl}/events/${pending}/promote`, csrf] as const,
    );
    expect(status).toBe(403);
    await context.close();

    // A reviewer's browser opening another origin's page that auto-submits a promote form.
    const reviewerContext = await browser.newContext();
    const reviewer = await reviewerContext.newPage();
    await signIn(reviewer, 'rita', 'rita-password');
    const port = (evil.address() as { port: number }).port;
    evil.removeAllListeners('request');
    evil.on('request', (_, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end(`<form id="f" method="post" action="${consoleUrl}/events/${pending}/promote"><input name="reason" value="forged"><input name="csrf" value="guess"></form><script>document.getElementById('f').submit()</script>`),
    );
    const answer = reviewer.waitForResponse((response) => response.url().endsWith(`/events/${pending}/promote`));
    await reviewer.goto(`http://127.0.0.1:${port}/`);
    expect((await answer).status()).toBe(403);
    await reviewerContext.close();
    expect((await store.transaction((r) => r.events.get('acme', pending)))!.state).toBe('pending_review');
  });
});
