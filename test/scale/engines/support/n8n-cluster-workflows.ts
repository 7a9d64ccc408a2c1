import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCES, type SourceSecrets } from './provider-traffic';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'examples', 'n8n');
const PACKAGE = '@intakekit/n8n-nodes-incident-intake';

export interface N8nClusterSettings {
  storeUrl: string;
  outboxKey: string;
  secrets: SourceSecrets;
  receiverUrl: string;
  receiverSecret: string;
  incidentIoUrl: string;
  alertSourceId: string;
  alertSourceToken: string;
  budget: number;
}

/** The outbox destinations the workflows deliver to (n8n takes the Destination ID as it is). */
export const N8N_DESTINATIONS = { webhook: 'ops-receiver', jiraAlerts: 'incident-io-alerts-jira', pagerDutyAlerts: 'incident-io-alerts-pd' } as const;

export const N8N_PATHS = {
  alertmanager: '/webhook/incidents/alertmanager',
  jira: '/webhook/incidents/jira',
  pagerduty: '/webhook/incidents/pagerduty',
  generic: '/webhook/incidents/flood',
  decision: '/webhook/review-decision',
} as const;

const CREDENTIAL = {
  store: { id: 'ScaleStorePg0001', name: 'Intake store (PostgreSQL)' },
  alertmanager: { id: 'ScaleAuthAlertmg', name: 'Alertmanager (Standard Webhooks)' },
  jira: { id: 'ScaleAuthJira001', name: 'Jira webhook secret' },
  pagerduty: { id: 'ScaleAuthPgrDuty', name: 'PagerDuty webhook signature' },
  generic: { id: 'ScaleAuthFlood01', name: 'Flood sender (Standard Webhooks)' },
  signing: { id: 'ScaleRcvSigning1', name: 'Ops receiver signing secret' },
  alertSource: { id: 'ScaleAlertSrc001', name: 'incident.io alert source' },
} as const;

const POLICY = { maxAttempts: 30, scheduleSeconds: '1, 2, 3, 5, 5, 10', timeoutSeconds: 10 };

export function clusterCredentials(settings: N8nClusterSettings): object[] {
  const auth = (credential: { id: string; name: string }, scheme: string, secret: string) => ({ ...credential, type: 'incidentIntakeSourceAuthApi', data: { scheme, secret } });
  return [
    { ...CREDENTIAL.store, type: 'incidentIntakeStoreApi', data: { backend: 'postgres', postgresUrl: settings.storeUrl, outboxEncryptionKey: settings.outboxKey, allowedDeliveryHosts: '127.0.0.1' } },
    auth(CREDENTIAL.alertmanager, SOURCES.alertmanager.scheme, settings.secrets.alertmanager),
    auth(CREDENTIAL.jira, SOURCES.jira.scheme, settings.secrets.jira),
    auth(CREDENTIAL.pagerduty, SOURCES.pagerduty.scheme, settings.secrets.pagerduty),
    auth(CREDENTIAL.generic, SOURCES.generic.scheme, settings.secrets.generic),
    { ...CREDENTIAL.signing, type: 'signedWebhookApi', data: { scheme: 'standard-webhooks', secret: settings.receiverSecret } },
    { ...CREDENTIAL.alertSource, type: 'incidentIoAlertSourceApi', data: { alertSourceConfigId: settings.alertSourceId, token: settings.alertSourceToken, baseUrl: settings.incidentIoUrl } },
  ];
}

type Node = { id: string; name: string; type: string; parameters: Record<string, unknown>; credentials?: Record<string, unknown>; webhookId?: string; position: number[]; typeVersion: number };
type Workflow = { id: string; name: string; nodes: Node[]; connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>; active?: boolean };

function example(id: string): Workflow {
  const file = { IntakeReview0001: 'intake-review-and-deliver.json', IntakePagerDuty1: 'intake-pagerduty-to-incident-io.json', IntakeDecision01: 'intake-review-decision.json', IntakeDelivery01: 'delivery-worker.json' }[id]!;
  return JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Workflow;
}

/** An example, renamed and given fresh node and webhook ids, with every store credential pointing at PostgreSQL. */
function fromExample(exampleId: string, id: string, name: string): Workflow {
  const workflow = example(exampleId);
  workflow.id = id;
  workflow.name = name;
  for (const node of workflow.nodes) {
    node.id = randomUUID();
    if (node.webhookId) node.webhookId = randomUUID();
    if (node.credentials?.incidentIntakeStoreApi) node.credentials.incidentIntakeStoreApi = CREDENTIAL.store;
  }
  return workflow;
}

const nodeNamed = (workflow: Workflow, name: string): Node => workflow.nodes.find((node) => node.name === name)!;

function signedWebhook(settings: N8nClusterSettings, node: Node): void {
  Object.assign(node.parameters, { url: settings.receiverUrl, destinationId: N8N_DESTINATIONS.webhook, tenant: 'acme', policy: POLICY });
  node.credentials = { signedWebhookApi: CREDENTIAL.signing, incidentIntakeStoreApi: CREDENTIAL.store };
}

function trigger(workflow: Workflow, source: (typeof SOURCES)[keyof typeof SOURCES], path: string, auth: { id: string; name: string }, tenantPerDay: number): Node {
  const node = workflow.nodes.find((candidate) => candidate.type === `${PACKAGE}.incidentIntakeTrigger`)!;
  node.name = `${source.provider} intake`;
  node.parameters = {
    path: path.replace('/webhook/', ''),
    sourceId: source.id,
    provider: source.provider,
    mode: source.mode,
    limits: { maxBodyKb: 64, tenantPerDay, sourcePerHour: 1_000_000 },
    sourceOptions: { tenant: source.tenant },
  };
  node.credentials = { incidentIntakeSourceAuthApi: auth, incidentIntakeStoreApi: CREDENTIAL.store };
  return node;
}

/** The review example for Alertmanager groups: review output waits, incident output goes to the signed webhook. */
function alertmanagerWorkflow(settings: N8nClusterSettings): Workflow {
  const workflow = fromExample('IntakeReview0001', 'ScaleAlertmgr001', 'Scale: Alertmanager under review');
  const intake = trigger(workflow, SOURCES.alertmanager, N8N_PATHS.alertmanager, CREDENTIAL.alertmanager, 1_000_000);
  workflow.connections[intake.name] = workflow.connections['Generic alerts']!;
  delete workflow.connections['Generic alerts'];
  signedWebhook(settings, nodeNamed(workflow, 'Deliver to receiver'));
  return workflow;
}

/** The PagerDuty auto-create example, its incident.io node sending alert events, plus the signed webhook. */
function autoCreateWorkflow(settings: N8nClusterSettings, id: string, source: typeof SOURCES.jira | typeof SOURCES.pagerduty, path: string, auth: { id: string; name: string }, destinationId: string): Workflow {
  const workflow = fromExample('IntakePagerDuty1', id, `Scale: ${source.provider} auto-create`);
  const intake = trigger(workflow, source, path, auth, 1_000_000);
  const connections = workflow.connections.PagerDuty!;
  delete workflow.connections.PagerDuty;
  const alerts = nodeNamed(workflow, 'Create in incident.io');
  alerts.name = 'Alert event to incident.io';
  alerts.parameters = { resource: 'alertEvent', operation: 'send', incidentId: '={{ $json.id }}', destinationId, tenant: 'acme', policy: POLICY };
  alerts.credentials = { incidentIoAlertSourceApi: CREDENTIAL.alertSource, incidentIntakeStoreApi: CREDENTIAL.store };
  const webhook: Node = { ...structuredClone(nodeNamed(example('IntakeReview0001'), 'Deliver to receiver')), id: randomUUID(), position: [700, 400] };
  signedWebhook(settings, webhook);
  workflow.nodes.push(webhook);
  connections.main[1] = [
    { node: alerts.name, type: 'main', index: 0 },
    { node: webhook.name, type: 'main', index: 0 },
  ];
  workflow.connections[intake.name] = connections;
  return workflow;
}

/** A generic source on the tenant with the small budget; nothing downstream. */
function floodWorkflow(budget: number): Workflow {
  const workflow = fromExample('IntakeReview0001', 'ScaleFlood000001', 'Scale: generic sender over its budget');
  trigger(workflow, SOURCES.generic, N8N_PATHS.generic, CREDENTIAL.generic, budget);
  workflow.nodes = workflow.nodes.filter((node) => node.type === `${PACKAGE}.incidentIntakeTrigger`);
  workflow.connections = {};
  return workflow;
}

export function clusterWorkflows(settings: N8nClusterSettings): Workflow[] {
  const decision = fromExample('IntakeDecision01', 'ScaleDecision001', 'Scale: review decision');
  Object.assign(nodeNamed(decision, 'Promote event').parameters, { tenant: 'acme' });
  signedWebhook(settings, nodeNamed(decision, 'Deliver promoted incident'));
  const delivery = fromExample('IntakeDelivery01', 'ScaleDelivery001', 'Scale: delivery worker');
  return [
    alertmanagerWorkflow(settings),
    autoCreateWorkflow(settings, 'ScaleJira0000001', SOURCES.jira, N8N_PATHS.jira, CREDENTIAL.jira, N8N_DESTINATIONS.jiraAlerts),
    autoCreateWorkflow(settings, 'ScalePagerDuty01', SOURCES.pagerduty, N8N_PATHS.pagerduty, CREDENTIAL.pagerduty, N8N_DESTINATIONS.pagerDutyAlerts),
    floodWorkflow(settings.budget),
    decision,
    delivery,
  ];
}
