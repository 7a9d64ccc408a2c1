import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handleIntake, type IntakeRequest } from '../../core/intake/handle-intake';
import type { IntakeOutcome } from '../../core/intake/outcome';
import { outcomeDetails } from '../../core/intake/outcome-details';
import { parseSourceConfig, type IntakeMode } from '../../core/intake/source-config';
import { createNormaliser } from '../../core/mapping/create-normaliser';
import type { ClosableNormaliser } from '../../core/mapping/create-normaliser';
import type { Provider } from '../../core/mapping/providers';
import { promoteEvent, StaleEventError } from '../../core/review/promote-event';
import { listReviewQueue } from '../../core/review/review-queue';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { openPostgresStore, openSqliteStore, type Store } from '../../core/store';
import type { IncidentRecord } from '../../core/store/records';
import { runReviewAction } from '../../node-red/shared/review-actions';
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
  const normaliser: ClosableNormaliser = createNormaliser({ provider, ...(timezone ? { timezone } : {}) });
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

/** The canonical incident a payload maps to with the provider's preset. */
async function mapped(provider: Provider, payload: Payload, timezone?: string) {
  const normaliser = createNormaliser({ provider, ...(timezone ? { timezone } : {}) });
  try {
    const context = { tenant: 'acme', sourceId: 'x', provider, receivedAt: new Date(RECEIVED_AT) };
    return (await normaliser.normalise(payload, context)).candidates[0]!.incident;
  } finally {
    await normaliser.close();
  }
}

/** What the newest event alone maps to: the state the incident must end in. */
async function newestState(scenario: Scenario) {
  const { eventTime, status, severity, title } = await mapped(scenario.provider, payloadOf(scenario.events.at(-1)!), scenario.timezone);
  return { eventTime, status, severity, title };
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

describe('out-of-order events in review mode', () => {
  it('an older event for an identity with a pending event is recorded stale, not folded in: promotion creates the newest state', async () => {
    const store = await sqliteStore();
    const sender = sourceOn(store, 'pagerduty', 'review');
    try {
      const pending = await sender.send(clone('pagerduty.incident.resolved'));
      expect(pending.events).toMatchObject([{ state: 'pending_review' }]);
      const late = await sender.send(clone('pagerduty.incident.triggered'));
      expect(late).toMatchObject({ code: 'stale', status: 200, events: [{ state: 'stale' }] });
      const stale = await store.transaction((r) => r.events.get('acme', late.events[0]!.id));
      expect(stale).toMatchObject({ state: 'stale', decidedBy: 'system', decisionReason: expect.stringContaining(`pending event ${pending.events[0]!.id}`) });

      const promoted = await promoteEvent(store, 'acme', pending.events[0]!.id, { actor: 'alice', reason: 'confirmed' });
      expect(promoted.incident).toMatchObject({ status: 'resolved', lastEventAt: Date.parse('2024-06-10T09:41:12.000Z') });
      expect((await listReviewQueue(store, 'acme', { state: 'stale' })).map((event) => event.id)).toEqual([late.events[0]!.id]);
      expect(await listReviewQueue(store, 'acme')).toEqual([]);
      const nodeRedListing = await runReviewAction(store, 'stale', { tenant: 'acme', sourceId: 'pagerduty-src' });
      expect((nodeRedListing.payload as Array<{ id: string; state: string }>).map(({ id, state }) => [id, state])).toEqual([[late.events[0]!.id, 'stale']]);
    } finally {
      await sender.normaliser.close();
    }
  });

  it('a newer event for a pending identity still folds into it', async () => {
    const store = await sqliteStore();
    const sender = sourceOn(store, 'pagerduty', 'review');
    try {
      const pending = await sender.send(clone('pagerduty.incident.triggered'));
      expect((await sender.send(clone('pagerduty.incident.resolved'))).events).toMatchObject([{ state: 'duplicate' }]);
      const promoted = await promoteEvent(store, 'acme', pending.events[0]!.id, { actor: 'alice', reason: 'confirmed' });
      expect(promoted.incident.status).toBe('resolved');
    } finally {
      await sender.normaliser.close();
    }
  });

  it('promoting a pending event older than what its incident has taken moves it to stale and refuses, rolling nothing back', async () => {
    const store = await sqliteStore();
    const sender = sourceOn(store, 'pagerduty', 'review');
    try {
      const older = await sender.send(clone('pagerduty.incident.triggered'));
      // A second pending event for the identity, as a restored backup or an older release's race could leave:
      // the newer one is promoted first.
      const olderEvent = (await store.transaction((r) => r.events.get('acme', older.events[0]!.id)))!;
      const newerCandidate = await mapped('pagerduty', clone('pagerduty.incident.resolved'));
      const newer = { ...olderEvent, id: 'evt_newer', position: 1, candidate: newerCandidate, receivedAt: olderEvent.receivedAt + 1 };
      await store.transaction((r) => r.events.insert(newer));
      const first = await promoteEvent(store, 'acme', newer.id, { actor: 'alice', reason: 'resolved upstream' }, undefined, { deliverTo: [TARGET] });
      expect(first.incident).toMatchObject({ status: 'resolved', version: 1 });

      const refused = promoteEvent(store, 'acme', olderEvent.id, { actor: 'bob', reason: 'looks real' }, undefined, { deliverTo: [TARGET] });
      await expect(refused).rejects.toBeInstanceOf(StaleEventError);
      await expect(refused).rejects.toThrow(/was not applied and is now stale: stale: its event time 2024-06-10T08:38:41.512Z is older than 2024-06-10T09:41:12.000Z/);

      expect(await onlyIncident(store)).toMatchObject({ status: 'resolved', version: 1 });
      expect((await deliveries(store)).map((d) => d.eventVersion)).toEqual([1]);
      const { event, audit } = await store.transaction(async (r) => ({ event: await r.events.get('acme', olderEvent.id), audit: await r.audit.forSubject('acme', 'event', olderEvent.id) }));
      expect(event).toMatchObject({ state: 'stale', decidedBy: 'bob', incidentId: first.incident.id });
      expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([['event.pending_review', 'system'], ['event.stale', 'bob']]);
      await expect(promoteEvent(store, 'acme', olderEvent.id, { actor: 'bob', reason: 'again' })).rejects.toThrow(/is stale, not pending review/);
    } finally {
      await sender.normaliser.close();
    }
  });
});

describe('events without a time, ties and retries', () => {
  it('events without an event time apply in arrival order (Grafana legacy alerting sends none)', async () => {
    const store = await sqliteStore();
    const sender = sourceOn(store, 'grafana', 'auto-create');
    try {
      await sender.send(clone('grafana.legacy_alerting.ok'));
      expect((await sender.send(clone('grafana.legacy_alerting.alerting'))).events).toMatchObject([{ state: 'promoted' }]);
      expect(await onlyIncident(store)).toMatchObject({ status: 'open', version: 2, lastEventAt: null });
    } finally {
      await sender.normaliser.close();
    }
  });

  it('an event without a time neither is judged stale nor moves the newest time; a timed event after it is still ordered', async () => {
    const store = await sqliteStore();
    const sender = sourceOn(store, 'pagerduty', 'auto-create');
    try {
      await sender.send(clone('pagerduty.incident.resolved'));
      const untimed = clone('pagerduty.incident.escalated');
      delete untimed.event.occurred_at;
      expect((await sender.send(untimed)).events).toMatchObject([{ state: 'promoted' }]);
      expect(await onlyIncident(store)).toMatchObject({ status: 'open', lastEventAt: Date.parse('2024-06-10T09:41:12.000Z') });
      expect((await sender.send(clone('pagerduty.incident.priority_updated'))).code).toBe('stale');
      expect((await sender.send(clone('pagerduty.incident.reopened'))).events).toMatchObject([{ state: 'duplicate' }]);
      expect(await onlyIncident(store)).toMatchObject({ status: 'open', lastEventAt: Date.parse('2024-06-10T11:15:00.000Z') });
    } finally {
      await sender.normaliser.close();
    }
  });

  it('a tie applies in arrival order', async () => {
    const store = await sqliteStore();
    const sender = sourceOn(store, 'pagerduty', 'auto-create');
    try {
      await sender.send(clone('pagerduty.incident.resolved'));
      const sameTime = clone('pagerduty.incident.reopened');
      sameTime.event.occurred_at = '2024-06-10T09:41:12.000Z';
      expect((await sender.send(sameTime)).events).toMatchObject([{ state: 'promoted' }]);
      expect(await onlyIncident(store)).toMatchObject({ status: 'open', version: 2 });
    } finally {
      await sender.normaliser.close();
    }
  });

  it("a sender's retry of a stale event gets the same 200 stale answer and writes nothing", async () => {
    const store = await sqliteStore();
    const sender = sourceOn(store, 'pagerduty', 'auto-create');
    try {
      await sender.send(clone('pagerduty.incident.resolved'));
      const first = await sender.send(clone('pagerduty.incident.triggered'), 'msg_late');
      const retry = await sender.send(clone('pagerduty.incident.triggered'), 'msg_late');
      expect(first).toMatchObject({ code: 'stale', status: 200 });
      expect(retry).toMatchObject({ code: 'duplicate', status: 200, receiptId: first.receiptId });
      expect(await store.transaction((r) => r.events.countByState('acme'))).toEqual({ promoted: 1, stale: 1 });
    } finally {
      await sender.normaliser.close();
    }
  });
});

const support = postgresSupport();

describe.skipIf(!support.binaries)('out-of-order events on PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
  });
  afterAll(async () => cluster?.destroy());

  it('PagerDuty events sent in reverse order end in the newest state, the older ones stale', async () => {
    const store = await openPostgresStore({ connectionString: cluster.connectionString('postgres') });
    stores.push(store);
    const sender = sourceOn(store, 'pagerduty', 'auto-create');
    try {
      const names = ['pagerduty.incident.resolved', 'pagerduty.incident.priority_updated', 'pagerduty.incident.escalated', 'pagerduty.incident.triggered'];
      const answers = [];
      for (const name of names) answers.push((await sender.send(clone(name))).code);
      expect(answers).toEqual(['accepted', 'stale', 'stale', 'stale']);
      expect(await onlyIncident(store)).toMatchObject({ status: 'resolved', version: 1, lastEventAt: Date.parse('2024-06-10T09:41:12.000Z') });
    } finally {
      await sender.normaliser.close();
    }
  });
});
