import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../../cli/main';
import { signRequest } from '../../../core/signing';
import { checkTemplate, renderN8nCredentials } from '../../../core/templates';
import { N8nInstance } from './n8n-instance';
import { StandIn } from './stand-ins';

/**
 * The MSP template example rendered for n8n with the CLI, imported with n8n's own import:credentials and
 * import:workflow, published, and driven with signed events. Only the secrets are filled in, from the
 * environment variables the template names, as an operator would paste them into the credentials.
 */
const N8N_DIR = process.env.E2E_N8N_DIR!;
const PACKAGE_DIR = process.env.E2E_PACKAGE_DIR!;
const PACKAGE_NAME = '@intakekit/n8n-nodes-incident-intake';
const REPO = join(__dirname, '..', '..', '..');
const PORT = Number(process.env.E2E_N8N_TEMPLATE_PORT ?? 5694);
const secret = () => randomBytes(18).toString('hex');
const env: Record<string, string> = {
  ACME_JIRA_SECRET: secret(),
  ACME_ALERTMANAGER_TOKEN: secret(),
  ACME_INCIDENT_IO_API_KEY: secret(),
  ACME_SOC_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
  ACME_REVIEW_TOKEN: secret(),
  GLOBEX_PAGERDUTY_SECRET: secret(),
  GLOBEX_ALERT_SOURCE_TOKEN: secret(),
};

/** incident.io's incident and alert-event endpoints, checking each credential. */
const incidentIo = new StandIn((request, response) => {
  const reply = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (request.path.startsWith('/v2/alert_events/http/')) {
    return request.headers.authorization === `Bearer ${env.GLOBEX_ALERT_SOURCE_TOKEN}` ? reply(202, { status: 'success', message: 'Event accepted for processing' }) : reply(401, {});
  }
  if (request.headers.authorization !== `Bearer ${env.ACME_INCIDENT_IO_API_KEY}`) return reply(401, {});
  if (request.path === '/v1/severities') return reply(200, { severities: [{ id: 'sev_critical', name: 'Critical', rank: 3 }, { id: 'sev_major', name: 'Major', rank: 2 }, { id: 'sev_minor', name: 'Minor', rank: 1 }] });
  if (request.path === '/v2/incidents') return reply(200, { incident: { id: '01TEMPLATEINCIDENT', name: JSON.parse(request.body).name } });
  return reply(404, {});
});
const receiver = new StandIn((_request, response) => response.writeHead(204).end());
let n8n: N8nInstance;
let userFolder: string;

async function renderTemplate(incidentIoUrl: string, receiverUrl: string): Promise<string> {
  const template = parse(await readFile(join(REPO, 'examples/templates/msp-clients.yaml'), 'utf8'));
  template.clients.acme.destinations['incident-io'].baseUrl = incidentIoUrl;
  delete template.clients.acme.destinations['incident-io'].severityIds;
  template.clients.acme.destinations['soc-webhook'].url = `${receiverUrl}/incidents`;
  template.clients.globex.destinations.alerts.baseUrl = incidentIoUrl;
  const text = stringify(template);
  const file = join(userFolder, 'clients.yaml');
  await writeFile(file, text);
  const quiet = () => new PassThrough();
  const code = await main(['template', 'render', '--template', file, '--for', 'n8n', '--out', join(userFolder, 'rendered')], { stdin: quiet(), stdout: quiet(), stderr: quiet(), env: {} });
  if (code !== 0) throw new Error(`template render exited ${code}`);
  return text;
}

/** The rendered credentials files with each empty secret filled from the variable the template names for it. */
async function filledCredentials(templateText: string): Promise<unknown[]> {
  const check = checkTemplate(templateText);
  const credentials = new Map<string, unknown>();
  for (const client of check.clients) {
    const files = JSON.parse(await readFile(join(userFolder, 'rendered', `${client.key}.credentials.json`), 'utf8')) as Array<{ id: string; data: Record<string, unknown> }>;
    for (const { credential, secretFields } of renderN8nCredentials(client, check.template!.store)) {
      const fromFile = files.find((candidate) => candidate.id === credential.id)!;
      const filled = { ...fromFile.data, ...Object.fromEntries(Object.entries(secretFields).map(([field, name]) => [field, env[name]])) };
      // The stand-ins listen on loopback, which deliveries refuse unless the store credential allows it.
      if (credential.type === 'incidentIntakeStoreApi') filled.allowedDeliveryHosts = '127.0.0.1';
      credentials.set(credential.id, { ...fromFile, data: filled });
    }
  }
  return [...credentials.values()];
}

beforeAll(async () => {
  if (!N8N_DIR || !PACKAGE_DIR) throw new Error('run through npm run test:n8n (E2E_N8N_DIR and E2E_PACKAGE_DIR are set there)');
  userFolder = await mkdtemp(join(tmpdir(), 'n8n-template-e2e-'));
  n8n = new N8nInstance(N8N_DIR, userFolder, PORT);
  const [incidentIoUrl, receiverUrl] = await Promise.all([incidentIo.listen(), receiver.listen()]);
  await cp(PACKAGE_DIR, join(userFolder, '.n8n', 'nodes', 'node_modules', ...PACKAGE_NAME.split('/')), { recursive: true });
  const templateText = await renderTemplate(incidentIoUrl, receiverUrl);
  await writeFile(join(userFolder, 'credentials.json'), JSON.stringify(await filledCredentials(templateText)));
  await n8n.cli('import:credentials', `--input=${join(userFolder, 'credentials.json')}`);
  const workflows = join(userFolder, 'workflows');
  await mkdir(workflows);
  for (const name of ['acme', 'globex', 'delivery-worker']) await cp(join(userFolder, 'rendered', `${name}.workflow.json`), join(workflows, `${name}.json`));
  await n8n.cli('import:workflow', '--separate', `--input=${workflows}`);
  for (const name of ['acme', 'globex', 'delivery-worker']) {
    const { id } = JSON.parse(await readFile(join(workflows, `${name}.json`), 'utf8')) as { id: string };
    await n8n.cli('publish:workflow', `--id=${id}`);
  }
  await n8n.start();
  await n8n.waitForWebhook('/webhook/intake/acme/jira');
  await n8n.waitForWebhook('/webhook/intake/globex/pagerduty');
}, 300_000);

afterAll(async () => {
  await n8n?.stop();
  await Promise.all([incidentIo.close(), receiver.close()]);
  if (process.env.E2E_KEEP !== '1' && userFolder) await rm(userFolder, { recursive: true, force: true });
}, 60_000);

async function post(path: string, raw: Buffer | string, headers: Record<string, string>) {
  const response = await fetch(`${n8n.baseUrl}${path}`, { method: 'POST', body: typeof raw === 'string' ? raw : new Uint8Array(raw), headers: { 'content-type': 'application/json', ...headers } });
  const text = await response.text();
  return { status: response.status, json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : undefined };
}

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const fixture = (name: string) => readFile(join(REPO, 'test/fixtures/providers', name));

describe('a rendered MSP template in a real n8n', () => {
  it('imports and activates every rendered workflow', async () => {
    const listed = await n8n.cli('list:workflow');
    for (const name of ['Incident intake: ACME Corp', 'Incident intake: Globex', 'Incident intake: delivery worker']) expect(listed).toContain(name);
  });

  it('ACME Jira (review): signed event → review → approval with the review token → incident in incident.io', async () => {
    const raw = await fixture('jira.issue_created.json');
    const accepted = await post('/webhook/intake/acme/jira', raw, { ...signRequest('hub-sha256', env.ACME_JIRA_SECRET!, raw), 'X-Atlassian-Webhook-Identifier': 'acme-jira-n8n-1' });
    expect(accepted, JSON.stringify(accepted.json)).toMatchObject({ status: 202, json: { outcome: 'accepted', events: [{ state: 'pending_review' }] } });
    const decision = JSON.stringify({ eventId: accepted.json.events[0].id, actor: 'noc@msp.example', reason: 'confirmed with ACME' });
    expect((await post('/webhook/acme/review', decision, { 'X-Review-Token': 'guess' })).status).toBe(403);
    const approved = await post('/webhook/acme/review', decision, { 'X-Review-Token': env.ACME_REVIEW_TOKEN! });
    expect(approved.status).toBe(200);
    await waitFor(() => incidentIo.requests.some((request) => request.path === '/v2/incidents' && request.status === 200));
    expect((await post('/webhook/intake/acme/jira', raw, signRequest('hub-sha256', 'not-the-secret', raw))).status).toBe(401);
  });

  it('Globex PagerDuty (auto-create) → incident.io alert event', async () => {
    const raw = await fixture('pagerduty.incident.triggered.json');
    const accepted = await post('/webhook/intake/globex/pagerduty', raw, { ...signRequest('pagerduty', env.GLOBEX_PAGERDUTY_SECRET!, raw), 'X-Webhook-Id': 'globex-pd-n8n-1' });
    expect(accepted).toMatchObject({ status: 202, json: { events: [{ state: 'promoted' }] } });
    await waitFor(() => incidentIo.requests.some((request) => request.path.startsWith('/v2/alert_events/http/01HGLOBEXALERTSOURCE') && request.status === 202));
  });

  it('logs no secret and no package error', () => {
    const log = n8n.log();
    for (const value of Object.values(env)) expect(log).not.toContain(value);
    const problems = log.split('\n').filter((line) => /incident-intake|intakekit|IncidentIntake|incidentIo|SignedWebhook|DeliveryWorker/i.test(line) && /error|warn|fail/i.test(line));
    expect(problems).toEqual([]);
  });
});
