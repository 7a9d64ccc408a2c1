import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../cli/main';
import { signRequest } from '../../core/signing';
import { openSqliteStore } from '../../core/store';
import { IncidentIoStandIn } from '../delivery/support/incident-io-stand-in';
import { WebhookReceiver } from '../delivery/support/webhook-receiver';
import { REPO, startNodeRed, waitFor, type NodeRedProcess } from '../support/node-red-runtime';
import { EXAMPLE_TEMPLATE } from './support';

/**
 * The example MSP template, rendered with the CLI as a user would, imported into a real Node-RED through
 * the admin API with nothing added but loopback URLs in the template and secrets in Node-RED's environment.
 */
const fixture = (name: string) => readFileSync(join(REPO, 'test/fixtures/providers', name));
const dir = mkdtempSync(join(tmpdir(), 'template-node-red-'));
const secret = () => randomBytes(18).toString('hex');
const env = {
  ACME_JIRA_SECRET: secret(),
  ACME_ALERTMANAGER_TOKEN: secret(),
  ACME_INCIDENT_IO_API_KEY: secret(),
  ACME_SOC_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
  ACME_REVIEW_TOKEN: secret(),
  GLOBEX_PAGERDUTY_SECRET: secret(),
  GLOBEX_ALERT_SOURCE_TOKEN: secret(),
};
let red: NodeRedProcess;
let standIn: IncidentIoStandIn;
let receiver: WebhookReceiver;
let flows: Array<Record<string, any>>;

async function render(standInUrl: string, receiverUrl: string): Promise<Array<Record<string, any>>> {
  const template = parse(readFileSync(EXAMPLE_TEMPLATE, 'utf8'));
  const acme = template.clients.acme.destinations;
  acme['incident-io'].baseUrl = standInUrl;
  delete acme['incident-io'].severityIds;
  acme['soc-webhook'].url = `${receiverUrl}/incidents`;
  acme['soc-webhook'].policy = { maxAttempts: 1 };
  // the stand-ins listen on loopback, which Node-RED's delivery nodes refuse unless a destination allows it
  for (const destination of [acme['incident-io'], acme['soc-webhook'], template.clients.globex.destinations.alerts]) destination.allowHosts = ['127.0.0.1'];
  template.clients.globex.destinations.alerts.baseUrl = standInUrl;
  template.clients.globex.destinations.alerts.alertSourceConfigId = 'alert-source-1';
  // a client whose secret is not in Node-RED's environment: its route must not come up
  template.clients.initech = { sources: { jira: { provider: 'jira', mode: 'auto-create', auth: { scheme: 'hub-sha256', secretEnv: 'INITECH_JIRA_SECRET' } } } };
  writeFileSync(join(dir, 'clients.yaml'), stringify(template));
  const quiet = () => new PassThrough();
  const code = await main(['template', 'render', '--template', join(dir, 'clients.yaml'), '--for', 'node-red', '--out', join(dir, 'out')], { stdin: quiet(), stdout: quiet(), stderr: quiet(), env: {} });
  expect(code).toBe(0);
  const nodes = ['acme', 'globex', 'initech'].flatMap((client) => JSON.parse(readFileSync(join(dir, 'out', `${client}.flow.json`), 'utf8')) as Array<Record<string, any>>);
  // every client file carries the shared store config node; the editor's import keeps one
  return [...new Map(nodes.map((node) => [node.id, node])).values()];
}

async function post(path: string, raw: Buffer | string, headers: Record<string, string>) {
  const response = await request(`${red.url}${path}`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.statusCode, body: (await response.body.json().catch(() => undefined)) as any };
}

async function deliveries(destinationId: string) {
  const store = await openSqliteStore(join(red.userDir, 'incident-intake.sqlite'));
  try {
    return await store.transaction((r) => r.deliveries.list('acme', { destinationId }));
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  standIn = await IncidentIoStandIn.start({ apiKey: env.ACME_INCIDENT_IO_API_KEY, alertSources: { 'alert-source-1': env.GLOBEX_ALERT_SOURCE_TOKEN } });
  receiver = await WebhookReceiver.start({ secret: env.ACME_SOC_WEBHOOK_SECRET });
  flows = await render(standIn.url, receiver.url);
  red = await startNodeRed({ env });
  const soc = flows.find((node) => node.type === 'webhook-out')!;
  const replay = { id: 'replay-soc', type: 'inject', z: soc.z, name: 'replay dead letters', props: [{ p: 'topic', vt: 'str' }], topic: 'replay', repeat: '', once: false, x: 560, y: 400, wires: [[soc.id]] };
  await red.deploy([...flows, replay]);
}, 90_000);

afterAll(async () => {
  await red?.stop();
  await standIn?.close();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a rendered MSP template in a real Node-RED', () => {
  it('deploys; a client whose secret is missing from the environment gets no route', async () => {
    await waitFor(async () => /Started flows/.test(red.log()), 15_000);
    expect(red.log()).toContain('environment variable INITECH_JIRA_SECRET is not set');
    const raw = fixture('jira.issue_created.json');
    const guessed = await post('/intake/initech/jira', raw, signRequest('hub-sha256', '${INITECH_JIRA_SECRET}', raw));
    expect(guessed.status).toBe(404);
  });

  it('ACME Jira (review): signed event → review queue → approval with the review token → incident in incident.io', async () => {
    const raw = fixture('jira.issue_created.json');
    const accepted = await post('/intake/acme/jira', raw, { ...signRequest('hub-sha256', env.ACME_JIRA_SECRET, raw), 'X-Atlassian-Webhook-Identifier': 'acme-jira-1' });
    expect(accepted).toMatchObject({ status: 202, body: { outcome: 'accepted', events: [{ state: 'pending_review' }] } });
    const decision = JSON.stringify({ eventId: accepted.body.events[0].id, actor: 'noc@msp.example', reason: 'confirmed with ACME' });
    expect((await post('/acme/review', decision, {})).status).toBe(401);
    expect((await post('/acme/review', decision, { 'X-Review-Token': 'guess' })).status).toBe(401);
    const approved = await post('/acme/review', decision, { 'X-Review-Token': env.ACME_REVIEW_TOKEN });
    expect(approved).toMatchObject({ status: 200, body: { provider: 'jira', tenant: 'acme', version: 1 } });
    expect((await post('/acme/review', decision, { 'X-Review-Token': env.ACME_REVIEW_TOKEN })).status).toBe(409);
    await waitFor(async () => standIn.requests.some((r) => r.path === '/v2/incidents'), 15_000);
    expect(standIn.requests.find((r) => r.path === '/v2/incidents')).toMatchObject({ violations: [], body: expect.objectContaining({ name: approved.body.title }) });
    expect((await post('/intake/acme/jira', raw, signRequest('hub-sha256', env.GLOBEX_PAGERDUTY_SECRET, raw))).status).toBe(401);
  });

  it('ACME Alertmanager (auto-create) → signed webhook; a dead letter comes back with msg.topic "replay"', async () => {
    receiver.respondWith({ status: 400 });
    const firing = fixture('alertmanager.webhook_v4.firing.json');
    const accepted = await post('/intake/acme/alertmanager', firing, { authorization: `Bearer ${env.ACME_ALERTMANAGER_TOKEN}` });
    expect(accepted.status).toBe(202);
    const soc = flows.find((node) => node.type === 'webhook-out')!;
    const destinationId = `node-red-${soc.id}`;
    await waitFor(async () => (await deliveries(destinationId)).some((delivery) => delivery.state === 'dead_letter'), 15_000);
    const injected = await request(`${red.url}/inject/replay-soc`, { method: 'POST' });
    expect(injected.statusCode).toBe(200);
    await injected.body.dump();
    await waitFor(async () => (await deliveries(destinationId)).every((delivery) => delivery.state === 'delivered'), 15_000);
    const [, replayed] = receiver.requests.filter((r) => r.path === '/incidents');
    expect(replayed).toMatchObject({ verified: true });
    expect(JSON.parse(replayed!.body)).toMatchObject({ type: 'incident.created', data: { provider: 'alertmanager', severity: 'critical' } });
  });

  it('Globex PagerDuty (auto-create) → incident.io alert events, in its own tenant', async () => {
    const raw = fixture('pagerduty.incident.triggered.json');
    const accepted = await post('/intake/globex/pagerduty', raw, { ...signRequest('pagerduty', env.GLOBEX_PAGERDUTY_SECRET, raw), 'X-Webhook-Id': 'globex-pd-1' });
    expect(accepted).toMatchObject({ status: 202, body: { events: [{ state: 'promoted' }] } });
    await waitFor(async () => standIn.requests.some((r) => r.path === '/v2/alert_events/http/alert-source-1'), 15_000);
    expect(standIn.requests.find((r) => r.path === '/v2/alert_events/http/alert-source-1')).toMatchObject({ violations: [], body: expect.objectContaining({ status: 'firing' }) });
  });

  it('logs no secret and no error', () => {
    const log = red.log();
    for (const value of Object.values(env)) expect(log).not.toContain(value);
    expect(log.split('\n').filter((line) => /\[error\]/.test(line) && !line.includes('INITECH_JIRA_SECRET'))).toEqual([]);
  });
});
