import { SOURCES, type SourceSecrets } from './provider-traffic';

export interface ClusterFlowSettings {
  storeUrl: string;
  secrets: SourceSecrets;
  receiverUrl: string;
  receiverSecret: string;
  incidentIoUrl: string;
  alertSourceId: string;
  alertSourceToken: string;
  budget: number;
}

/** The delivery nodes' ids; a Node-RED delivery destination is `node-red-<node id>`, the same in every instance. */
export const NODE_RED_DESTINATIONS = { webhook: 'node-red-sc-webhook', jiraAlerts: 'node-red-sc-alerts-jira', pagerDutyAlerts: 'node-red-sc-alerts-pd' } as const;

/** Retries long enough to outlast the receiver's outage and the rate limit's waits. */
const DELIVERY_POLICY = { maxAttempts: '30', timeoutSeconds: '10', retrySchedule: '1, 2, 3, 5, 5, 10', allowHosts: '127.0.0.1' };

/**
 * The one flow every Node-RED instance runs: four intake sources on one PostgreSQL store, an approval
 * endpoint that promotes from the review queue, a signed webhook for every incident change and, for the Jira
 * and PagerDuty incidents, two incident.io nodes on the same alert source.
 */
export function clusterFlow(settings: ClusterFlowSettings): object[] {
  const source = (id: string, def: (typeof SOURCES)[keyof typeof SOURCES], secret: string, tenantPerDay: number) => ({
    id,
    type: 'intake-source',
    tenant: def.tenant,
    sourceId: def.id,
    provider: def.provider,
    mode: def.mode,
    scheme: def.scheme,
    maxBodyKb: '64',
    sourcePerHour: '1000000',
    tenantPerDay: String(tenantPerDay),
    credentials: { secret },
  });
  const intake = (id: string, sourceNode: string, incidents: string[]) => ({ id, z: 'sc-tab', type: 'incident-intake', source: sourceNode, store: 'sc-store', wires: [[], incidents, []] });
  const alerts = (id: string) => ({ id, z: 'sc-tab', type: 'incidentio-out', account: 'sc-account', store: 'sc-store', tenant: 'acme', target: 'alert_event', ...DELIVERY_POLICY, wires: [[]] });
  return [
    { id: 'sc-tab', type: 'tab', label: 'Scale-out cluster' },
    { id: 'sc-store', type: 'intake-store', name: 'shared PostgreSQL', credentials: { postgresUrl: settings.storeUrl } },
    source('sc-src-am', SOURCES.alertmanager, settings.secrets.alertmanager, 1_000_000),
    source('sc-src-jira', SOURCES.jira, settings.secrets.jira, 1_000_000),
    source('sc-src-pd', SOURCES.pagerduty, settings.secrets.pagerduty, 1_000_000),
    source('sc-src-flood', SOURCES.generic, settings.secrets.generic, settings.budget),
    { id: 'sc-account', type: 'incidentio-account', name: 'incident.io', baseUrl: settings.incidentIoUrl, alertSourceConfigId: settings.alertSourceId, credentials: { alertSourceToken: settings.alertSourceToken } },
    intake('sc-in-am', 'sc-src-am', ['sc-webhook']),
    intake('sc-in-jira', 'sc-src-jira', ['sc-webhook', 'sc-alerts-jira']),
    intake('sc-in-pd', 'sc-src-pd', ['sc-webhook', 'sc-alerts-pd']),
    intake('sc-in-flood', 'sc-src-flood', []),
    { id: 'sc-approve-in', z: 'sc-tab', type: 'http in', url: '/approve', method: 'post', wires: [['sc-review']] },
    {
      id: 'sc-review', z: 'sc-tab', type: 'incident-review', source: 'sc-src-am', store: 'sc-store', action: 'promote',
      eventId: 'payload.eventId', eventIdType: 'msg', actor: 'payload.actor', actorType: 'msg', reason: 'payload.reason', reasonType: 'msg',
      wires: [['sc-approved', 'sc-webhook']],
    },
    { id: 'sc-approved', z: 'sc-tab', type: 'http response', statusCode: '200', wires: [] },
    { id: 'sc-catch', z: 'sc-tab', type: 'catch', scope: ['sc-review'], wires: [['sc-conflict']] },
    { id: 'sc-conflict', z: 'sc-tab', type: 'change', rules: [{ t: 'set', p: 'statusCode', pt: 'msg', to: '409', tot: 'num' }, { t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' }], wires: [['sc-refused']] },
    { id: 'sc-refused', z: 'sc-tab', type: 'http response', wires: [] },
    { id: 'sc-webhook', z: 'sc-tab', type: 'webhook-out', store: 'sc-store', tenant: 'acme', url: settings.receiverUrl, scheme: 'standard-webhooks', ...DELIVERY_POLICY, credentials: { secret: settings.receiverSecret }, wires: [[]] },
    alerts('sc-alerts-jira'),
    alerts('sc-alerts-pd'),
  ];
}
