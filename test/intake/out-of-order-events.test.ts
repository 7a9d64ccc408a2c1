import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handleIntake, type IntakeRequest } from '../../core/intake/handle-intake';
import type { IntakeOutcome } from '../../core/intake/outcome';
import { outcomeDetails } from '../../core/intake/outcome-details';
import { parseSourceConfig, type IntakeMode } from '../../core/intake/source-config';
import { createNormaliser } from '../../core/mapping/create-normaliser';
import type { Normaliser } from '../../core/mapping/normaliser';
import type { Provider } from '../../core/mapping/providers';
import { promoteEvent, StaleEventError } from '../../core/review/promote-event';
import { listReviewQueue } from '../../core/review/review-queue';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { openPostgresStore, openSqliteStore, type Store } from '../../core/store';
import type { IncidentRecord } from '../../core/store/records';
import { fixture } from '../mapping/support';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';

type Payload = Record<string, any>;
const clone = (name: string): Payload => structuredClone(fixture(name)) as Payload;

/** An Alertmanager / Grafana group whose only alert resolved at `endsAt`. */
function resolvedGroup(name: string, endsAt: string): Payload {
  const body = clone(name);
  body.status = 'resolved';
  body.alerts = [{ ...body.alerts[0], status: 'resolved', endsAt }];
  return body;
}

/** The Elastic alert as its rule sends it again after an analyst closed it. */
function closedElasticAlert(): Payload {
  const body = clone('elastic.security_alert_webhook');
  body.alerts = [{ ...body.alerts[0], 'kibana.alert.workflow_status': 'closed', 'kibana.alert.workflow_status_updated_at': '2024-06-10T09:30:00.000Z' }];
  return body;
}

/** The Standard Webhooks envelope of a later event of the same incident. */
function resolvedGenericIncident(): Payload {
  const body = clone('generic.standard_webhooks.incident_created');
  return { ...body, type: 'incident.resolved', timestamp: '2024-06-10T10:15:00Z', data: { ...body.data, status: 'resolved' } };
}

/** The same Splunk search firing again a run later, now with a lower severity. */
function laterSplunkRun(): Payload {
  const body = clone('splunk.alert_webhook');
  return { ...body, sid: body.sid.replace(/_at_\d+_/, '_at_1718009220_'), result: { ...body.result, _time: '1718009220', severity: 'medium' } };
}

interface Scenario {
  provider: Provider;
  /** Events of one incident, oldest first (by the provider's own event time). */
  events: Array<string | Payload>;
  timezone?: string;
}

/** Real provider fixtures of one incident each; where a provider's fixtures hold only one event, a later one derived from it. */
const SCENARIOS: Scenario[] = [
  { provider: 'pagerduty', events: ['pagerduty.incident.triggered', 'pagerduty.incident.escalated', 'pagerduty.incident.priority_updated', 'pagerduty.incident.resolved'] },
  { provider: 'jira', events: ['jira.issue_created', 'jira.issue_updated.resolved'] },
  { provider: 'servicenow', events: ['servicenow.incident', 'servicenow.business_rule.resolved'] },
  { provider: 'alertmanager', events: ['alertmanager.webhook_v4.firing', resolvedGroup('alertmanager.webhook_v4.firing', '2024-06-10T09:02:30.000Z')] },
  { provider: 'grafana', events: ['grafana.alerting_webhook', resolvedGroup('grafana.alerting_webhook', '2024-06-10T09:05:00Z')] },
  { provider: 'datadog', events: ['datadog.custom_payload.triggered', 'datadog.custom_payload.re_triggered', 'datadog.custom_payload.recovered'] },
  { provider: 'opsgenie', events: ['opsgenie.webhook_create', 'opsgenie.webhook_acknowledge', 'opsgenie.webhook_unacknowledge'] },
  { provider: 'sentinel', events: ['sentinel.incident', 'sentinel.security_incident_row'] },
  { provider: 'zabbix', events: ['zabbix.webhook', 'zabbix.webhook.recovery'], timezone: 'Europe/Berlin' },
  { provider: 'elastic', events: ['elastic.security_alert_webhook', closedElasticAlert()] },
  { provider: 'splunk', events: ['splunk.alert_webhook', laterSplunkRun()] },
  { provider: 'generic', events: ['generic.standard_webhooks.incident_created', resolvedGenericIncident()] },
];

const payloadOf = (event: string | Payload): Payload => (typeof event === 'string' ? clone(event) : event);

const RECEIVED_AT = Date.parse('2024-06-10T12:00:00.000Z');
const TARGET = { tenant: 'acme', id: 'hook-1', kind: 'webhook' };
const deliveries = (store: Store) => store.transaction((r) => r.deliveries.list('acme', {}));

/** One source in front of a real store, with the provider's preset; every send is a distinct, signed request. */
function sourceOn(store: Store, provider: Provider, mode: IntakeMode, timezone?: string) {
  const secret = generateStandardWebhookSecret();
  const source = parseSourceConfig({ id: `${provider}-src`, tenant: 'acme', provider, mode, auth: { scheme: 'standard-webhooks', secrets: [{ value: secret }] } });
  const normaliser: Normaliser = createNormaliser({ provider, ...(timezone ? { timezone } : {}) });
  let sent = 0;
  const request = (raw: Buffer, id: string, at: number): IntakeRequest => ({
    headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, raw, { id, timestamp: Math.floor(at / 1000) }) },
    rawBody: raw,
    receivedAt: new Date(at),
  });
  return {
    normaliser,
    /** Sends a payload; `id` repeats a delivery (a sender's retry of the same message). */
    send(payload: Payload, id = `msg_${++sent}`): Promise<IntakeOutcome> {
      const at = RECEIVED_AT + sent * 60_000;
      return handleIntake(source, request(Buffer.from(JSON.stringify(payload)), id, at), { store, normaliser, deliverTo: [TARGET] });
    },
  };
}

async function onlyIncident(store: Store): Promise<IncidentRecord> {
  const incidents = await store.transaction((r) => r.incidents.list('acme', { view: 'recent', since: 0 }));
  expect(incidents).toHaveLength(1);
  return incidents[0]!;
}

/** What the newest event alone maps to: the state the incident must end in. */
async function newestState(scenario: Scenario) {
  const normaliser = createNormaliser({ provider: scenario.provider, ...(scenario.timezone ? { timezone: scenario.timezone } : {}) });
  try {
    const context = { tenant: 'acme', sourceId: 'x', provider: scenario.provider, receivedAt: new Date(RECEIVED_AT) };
    const result = await normaliser.normalise(payloadOf(scenario.events.at(-1)!), context);
    const { eventTime, status, severity, title } = result.candidates[0]!.incident;
    return { eventTime, status, severity, title };
  } finally {
    await normaliser.close();
  }
}

let stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.map((store) => store.close()));
  stores = [];
});
async function sqliteStore(): Promise<Store> {
  const store = await openSqliteStore(':memory:');
  stores.push(store);
  return store;
}

describe.each(SCENARIOS)('out-of-order events: $provider', (scenario) => {
  it('sent newest first, the older events are recorded as stale and the incident ends in the newest state', async () => {
    const store = await sqliteStore();
    const sender = sourceOn(store, scenario.provider, 'auto-create', scenario.timezone);
    try {
      const [newest, ...older] = [...scenario.events].reverse();
      const first = await sender.send(payloadOf(newest!));
      expect(first.incidents).toEqual([expect.objectContaining({ change: 'created', version: 1 })]);
      for (const event of older) {
        const answer = await sender.send(payloadOf(event));
        expect(answer).toMatchObject({ code: 'stale', status: 200, incidents: [], events: [{ state: 'stale' }] });
        expect(await outcomeDetails(store, 'acme', answer)).toEqual({ review: [], incidents: [], quarantined: [] });
      }
      const incident = await onlyIncident(store);
      const expected = await newestState(scenario);
      expect(expected.eventTime, 'the newest fixture carries an event time').toBeDefined();
      expect(incident).toMatchObject({ version: 1, status: expected.status, severity: expected.severity, title: expected.title, lastEventAt: Date.parse(expected.eventTime!) });
      expect((await deliveries(store)).map((d) => d.eventVersion), 'only the creation is delivered').toEqual([1]);
    } finally {
      await sender.normaliser.close();
    }
  });

  it('sent oldest first, every event applies and the incident ends in the same state', async () => {
    const store = await sqliteStore();
    const sender = sourceOn(store, scenario.provider, 'auto-create', scenario.timezone);
    try {
      for (const event of scenario.events) expect((await sender.send(payloadOf(event))).code).toBe('accepted');
      const expected = await newestState(scenario);
      expect(await onlyIncident(store)).toMatchObject({ status: expected.status, severity: expected.severity, lastEventAt: Date.parse(expected.eventTime!) });
    } finally {
      await sender.normaliser.close();
    }
  });
});
