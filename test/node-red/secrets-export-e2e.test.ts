import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { WebhookReceiver } from '../delivery/support/webhook-receiver';
import { IncidentIoStandIn } from '../delivery/support/incident-io-stand-in';
import { findSecrets } from '../support/secret-scan';
import { REPO, startNodeRed, waitFor, type NodeRedProcess } from '../support/node-red-runtime';

/**
 * A real Node-RED (child process, built package) with every example flow deployed and its credentials filled
 * in through the admin API, as a user would. The receiver's token comes from a credential: a reference to the
 * process environment and a literal value, both in the node's Secret headers. Then the flows are exported
 * through the admin API, and the flow file on disk is read: neither holds any secret. Needs `npm run build`.
 */
const example = (name: string) => JSON.parse(readFileSync(join(REPO, 'examples/node-red', name), 'utf8')) as Array<Record<string, any>>;
const pagerdutySecret = `pd-secret-${randomBytes(8).toString('hex')}`;
const receiverSecret = generateStandardWebhookSecret();
const receiverToken = `env-token-${randomBytes(8).toString('hex')}`;
const receiverApiKey = `literal-key-${randomBytes(8).toString('hex')}`;
const known = {
  jira: `jira-secret-${randomBytes(8).toString('hex')}`,
  pagerduty: pagerdutySecret,
  alertmanager: `am-token-${randomBytes(8).toString('hex')}`,
  apiKey: `incident-io-key-${randomBytes(8).toString('hex')}`,
  alertToken: `alert-token-${randomBytes(8).toString('hex')}`,
  receiverSecret,
  receiverToken,
  receiverApiKey,
};
const knownValues = Object.values(known);

let red: NodeRedProcess;
let receiver: WebhookReceiver;
let standIn: IncidentIoStandIn;

function withCredentials(flows: Array<Record<string, any>>): Array<Record<string, any>> {
  const credentials: Record<string, object> = {
    'ex1-source': { secret: known.jira },
    'ex1-account': { apiKey: known.apiKey },
    'ex2-source': { secret: pagerdutySecret },
    'ex2-webhook': { secret: receiverSecret, secretHeaders: JSON.stringify({ Authorization: 'Bearer env:RECEIVER_TOKEN', 'X-Api-Key': receiverApiKey }) },
    'ex3-source': { secret: known.alertmanager },
    'ex3-account': { alertSourceToken: known.alertToken },
  };
  return flows.map((node) => (credentials[node.id] ? { ...node, credentials: credentials[node.id] } : node));
}

beforeAll(async () => {
  standIn = await IncidentIoStandIn.start({ apiKey: known.apiKey, alertSources: { 'alert-source-1': known.alertToken } });
  receiver = await WebhookReceiver.start({ secret: receiverSecret });
  red = await startNodeRed({
    env: { INCIDENT_IO_URL: standIn.url, INCIDENT_IO_ALERT_SOURCE_ID: 'alert-source-1', RECEIVER_URL: `${receiver.url}/incidents`, INCIDENT_INTAKE_OUTBOUND_ALLOW: '127.0.0.1', RECEIVER_TOKEN: receiverToken },
  });
  const flows = [...example('jira-review-incidentio.json'), ...example('pagerduty-autocreate-webhook.json'), ...example('alertmanager-incidentio-alerts.json')];
  const deduped = flows.filter((node) => !(node.type === 'intake-store' && node.id !== 'ex1-store')).map((node) => (node.store ? { ...node, store: 'ex1-store' } : node));
  await red.deploy(withCredentials(deduped));
}, 90_000);
afterAll(async () => {
  await red?.stop();
  await receiver?.close();
  await standIn?.close();
});

describe('Node-RED: secrets stay in the credential store', () => {
  it('webhook out sends the credential headers (a reference to the environment, and a literal) to the receiver', async () => {
    const body = readFileSync(join(REPO, 'test/fixtures/providers/pagerduty.incident.triggered.json'));
    const answer = await request(`${red.url}/intake/pagerduty`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signRequest('pagerduty', pagerdutySecret, body), 'X-Webhook-Id': 'pd-secrets-1' } });
    await answer.body.dump();
    expect(answer.statusCode).toBe(202);
    await waitFor(async () => receiver.requests.length > 0, 30_000, () => red.log());
    const sent = receiver.requests[0]!;
    expect(sent.verified).toBe(true);
    expect(sent.headers.authorization).toBe(`Bearer ${receiverToken}`);
    expect(sent.headers['x-api-key']).toBe(receiverApiKey);
  });

  it('exports no secret: not through the admin API, not in the flow file, not in the log', async () => {
    const exported = await request(`${red.url}/flows`, { headers: { 'Node-RED-API-Version': 'v2' } });
    const flows = (await exported.body.json()) as { flows: Array<Record<string, unknown>> };
    expect(flows.flows.some((node) => node.id === 'ex2-webhook')).toBe(true);
    expect(findSecrets(flows.flows, knownValues)).toEqual([]);
    const file = JSON.parse(readFileSync(join(red.userDir, 'flows.json'), 'utf8'));
    expect(file.some((node: { id: string }) => node.id === 'ex2-webhook')).toBe(true);
    expect(findSecrets(file, knownValues)).toEqual([]);
    const credentialsFile = readFileSync(join(red.userDir, 'flows_cred.json'), 'utf8');
    for (const secret of knownValues) expect(credentialsFile).not.toContain(secret);
    for (const secret of knownValues) expect(red.log()).not.toContain(secret);
    expect(red.log()).not.toMatch(/looks like it carries a secret/);
  });
});
