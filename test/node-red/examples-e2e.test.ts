import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { IncidentIoStandIn } from '../delivery/support/incident-io-stand-in';
import { WebhookReceiver } from '../delivery/support/webhook-receiver';
import { REPO, startNodeRed, waitFor, type NodeRedProcess } from '../support/node-red-runtime';

/**
 * Deploys the shipped example flows (examples/node-red) into a real Node-RED, as a user would import them,
 * filling in only credentials and loopback URLs, then drives each with signed fixture events.
 */
const fixture = (name: string) => readFileSync(join(REPO, 'test/fixtures/providers', name));
const example = (name: string) => JSON.parse(readFileSync(join(REPO, 'examples/node-red', name), 'utf8')) as Array<Record<string, any>>;

const jiraSecret = 'jira-webhook-secret-1';
const pagerdutySecret = 'pagerduty-webhook-secret-1';
const alertmanagerToken = 'alertmanager-token-1';
const receiverSecret = generateStandardWebhookSecret();
let red: NodeRedProcess;
let standIn: IncidentIoStandIn;
let receiver: WebhookReceiver;

function withCredentials(flows: Array<Record<string, any>>): Array<Record<string, any>> {
  const credentials: Record<string, object> = {
    'ex1-source': { secret: jiraSecret },
    'ex1-account': { apiKey: 'api-key-1' },
    'ex2-source': { secret: pagerdutySecret },
    'ex2-webhook': { secret: receiverSecret },
    'ex3-source': { secret: alertmanagerToken },
    'ex3-account': { alertSourceToken: 'alert-token-1' },
  };
  return flows.map((node) => {
    const withCreds = credentials[node.id] ? { ...node, credentials: credentials[node.id] } : node;
    // short retries so an outage test does not wait minutes
    return node.type === 'webhook-out' ? { ...withCreds, retrySchedule: '0.2, 0.2, 0.2' } : withCreds;
  });
}

async function post(path: string, raw: Buffer, headers: Record<string, string>) {
  const response = await request(`${red.url}${path}`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.statusCode, body: (await response.body.json()) as any };
}

beforeAll(async () => {
  standIn = await IncidentIoStandIn.start({ apiKey: 'api-key-1', alertSources: { 'alert-source-1': 'alert-token-1' } });
  receiver = await WebhookReceiver.start({ secret: receiverSecret });
  // The stand-ins listen on loopback, which delivery nodes refuse unless allowed.
  red = await startNodeRed({ env: { INCIDENT_IO_URL: standIn.url, INCIDENT_IO_ALERT_SOURCE_ID: 'alert-source-1', RECEIVER_URL: `${receiver.url}/incidents`, INCIDENT_INTAKE_OUTBOUND_ALLOW: '127.0.0.1' } });
  const flows = [...example('jira-review-incidentio.json'), ...example('pagerduty-autocreate-webhook.json'), ...example('alertmanager-incidentio-alerts.json')];
  // the three examples each bring a store config node on the same file; one is enough when deployed together
  const deduped = flows.filter((node) => !(node.type === 'intake-store' && node.id !== 'ex1-store')).map((node) => (node.store ? { ...node, store: 'ex1-store' } : node));
  await red.deploy(withCredentials(deduped));
}, 60_000);
afterAll(async () => {
  await red?.stop();
  await standIn?.close();
  await receiver?.close();
});

describe('example flows in a real Node-RED', () => {
  it('load without errors', () => {
    expect(red.log()).toMatch(/Started flows/);
    expect(red.log()).not.toMatch(/\[error\]/);
  });

  it('Jira → review → approval → incident created in incident.io', async () => {
    const raw = fixture('jira.issue_created.json');
    const accepted = await post('/intake/jira-prod', raw, { ...signRequest('hub-sha256', jiraSecret, raw), 'X-Atlassian-Webhook-Identifier': 'jira-delivery-1' });
    expect(accepted).toMatchObject({ status: 202, body: { events: [{ state: 'pending_review' }] } });
    const approval = await request(`${red.url}/jira/approve`, {
      method: 'POST',
      body: JSON.stringify({ eventId: accepted.body.events[0].id, actor: 'alice@acme.example', reason: 'customer impact confirmed' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(approval.statusCode).toBe(200);
    const incident = (await approval.body.json()) as any;
    expect(incident).toMatchObject({ provider: 'jira', version: 1 });
    await waitFor(async () => standIn.requests.some((r) => r.path === '/v2/incidents'), 15_000);
    const create = standIn.requests.find((r) => r.path === '/v2/incidents')!;
    expect(create.violations).toEqual([]);
    expect(create.body).toMatchObject({ name: incident.title, visibility: 'public', idempotency_key: expect.any(String), severity_id: expect.any(String) });
  });

  it('PagerDuty → auto-create → signed webhook, through a receiver outage, then the resolve', async () => {
    receiver.respondWith({ status: 503 }, { reset: true });
    const triggered = fixture('pagerduty.incident.triggered.json');
    const answer = await post('/intake/pagerduty', triggered, { ...signRequest('pagerduty', pagerdutySecret, triggered), 'X-Webhook-Id': 'pd-1' });
    expect(answer).toMatchObject({ status: 202, body: { events: [{ state: 'promoted' }] } });
    await waitFor(async () => receiver.requests.filter((r) => r.path === '/incidents').length >= 3, 20_000);
    const created = receiver.requests.filter((r) => r.path === '/incidents');
    expect(created.every((r) => r.verified === true)).toBe(true);
    expect(new Set(created.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(JSON.parse(created[2]!.body)).toMatchObject({ type: 'incident.created', data: expect.not.objectContaining({ raw: expect.anything() }) });

    const resolved = fixture('pagerduty.incident.resolved.json');
    expect((await post('/intake/pagerduty', resolved, { ...signRequest('pagerduty', pagerdutySecret, resolved), 'X-Webhook-Id': 'pd-2' })).status).toBe(202);
    await waitFor(async () => receiver.requests.some((r) => r.body.includes('"incident.resolved"')), 20_000);
  });

  it('Alertmanager batch → severity filter → incident.io alert events (firing, then resolved)', async () => {
    const firing = JSON.parse(fixture('alertmanager.webhook_v4.firing.json').toString());
    const critical = firing.alerts[0];
    const warning = { ...critical, labels: { ...critical.labels, severity: 'warning', alertname: 'DiskFilling' }, fingerprint: 'f00d' };
    const batch = Buffer.from(JSON.stringify({ ...firing, alerts: [critical, warning] }));
    const answer = await post('/intake/alertmanager', batch, { authorization: `Bearer ${alertmanagerToken}` });
    expect(answer.status).toBe(202);
    expect(answer.body.events.map((e: any) => e.state)).toEqual(['promoted', 'filtered']);
    const alertEvents = () => standIn.requests.filter((r) => r.path === '/v2/alert_events/http/alert-source-1');
    await waitFor(async () => alertEvents().length >= 1, 15_000);
    expect(alertEvents()[0]).toMatchObject({ violations: [], body: expect.objectContaining({ status: 'firing' }) });

    const resolvedAlert = { ...critical, status: 'resolved', endsAt: '2024-06-10T09:00:00Z' };
    const resolved = Buffer.from(JSON.stringify({ ...firing, status: 'resolved', alerts: [resolvedAlert] }));
    expect((await post('/intake/alertmanager', resolved, { authorization: `Bearer ${alertmanagerToken}` })).status).toBe(202);
    await waitFor(async () => alertEvents().length >= 2, 15_000);
    expect(alertEvents()[1]!.body).toMatchObject({ status: 'resolved', deduplication_key: (alertEvents()[0]!.body as any).deduplication_key });
    expect((await post('/intake/alertmanager', batch, { authorization: 'Bearer wrong' })).status).toBe(401);
  });
});
