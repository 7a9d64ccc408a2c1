import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStandardWebhookSecret } from '../../../core/signing';
import { openPostgresStore, type Store } from '../../../core/store';
import { PostgresCluster, postgresSupport } from '../../support/postgres-cluster';
import { AlertSourceStandIn } from './support/alert-source-stand-in';
import { checkAlertSourceRate, checkAnswers, checkBudget, checkDeliveries, checkIncidentOrder, checkIncidents, checkStoredOnce } from './support/cluster-checks';
import { clusterDrained, readClusterFacts, type ClusterFacts, type IncidentRow } from './support/cluster-facts';
import { ClusterSender } from './support/cluster-sender';
import { NodeRedCluster } from './support/node-red-cluster';
import { clusterFlow, NODE_RED_DESTINATIONS } from './support/node-red-cluster-flow';
import { OutageReceiver } from './support/outage-receiver';
import { alertmanagerTraffic, floodTraffic, jiraTraffic, pagerDutyTraffic, SOURCES, type SourceSecrets } from './support/provider-traffic';
import { RoundRobinProxy } from './support/round-robin-proxy';
import { inParallel, interleave, promoteConcurrently, until, type PromotionRecord } from './support/run-traffic';

/**
 * Three real Node-RED runtimes, each with its own user directory and the same flow, share one PostgreSQL store
 * behind a round-robin proxy. Four providers' signed traffic (Alertmanager groups under review, Jira and
 * PagerDuty creating incidents, a generic sender over its tenant's budget) arrives with transport retries and
 * duplicates aimed at two instances at once; every pending event is approved through two instances at once;
 * the webhook receiver fails for a while; incident.io's alert source takes Jira and PagerDuty incidents from
 * two nodes. Everything is then checked against the database and the receivers.
 */
const support = postgresSupport();

const INSTANCES = 3;
const ALERT_IDENTITIES = 900;
const ALERT_GROUP = 6;
const JIRA_ISSUES = 90;
const PAGERDUTY_INCIDENTS = 60;
const FLOOD = 150;
const BUDGET = 60;
const SENDERS = 10;
const ALERT_SOURCE_ID = '01SCALEALERTSOURCE';

/** Which destinations an incident's changes go to in the flow. */
const routes = (incident: IncidentRow): string[] => {
  if (incident.tenant !== 'acme') return [];
  if (incident.sourceId === SOURCES.jira.id) return [NODE_RED_DESTINATIONS.webhook, NODE_RED_DESTINATIONS.jiraAlerts];
  if (incident.sourceId === SOURCES.pagerduty.id) return [NODE_RED_DESTINATIONS.webhook, NODE_RED_DESTINATIONS.pagerDutyAlerts];
  return [NODE_RED_DESTINATIONS.webhook];
};

describe.skipIf(!support.binaries)('scale-out: three Node-RED runtimes behind a load balancer on one PostgreSQL store', () => {
  const secrets: SourceSecrets = { alertmanager: generateStandardWebhookSecret(), jira: randomBytes(24).toString('hex'), pagerduty: randomBytes(24).toString('hex'), generic: generateStandardWebhookSecret() };
  const receiverSecret = generateStandardWebhookSecret();
  const alertSourceToken = `alert-token-${randomBytes(12).toString('hex')}`;
  let cluster: PostgresCluster;
  let storeUrl: string;
  let store: Store;
  let receiver: OutageReceiver;
  let incidentIo: AlertSourceStandIn;
  let nodeRed: NodeRedCluster;
  let proxy: RoundRobinProxy;
  let sender: ClusterSender;
  let facts: ClusterFacts;
  let promotions: PromotionRecord;

  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
    storeUrl = await cluster.createDatabase();
    // Migrated once here, so the instances start on a ready schema (they would also race to it safely).
    store = await openPostgresStore({ connectionString: storeUrl, poolSize: 2 });
    receiver = await OutageReceiver.start(receiverSecret);
    incidentIo = await AlertSourceStandIn.start(alertSourceToken);
    nodeRed = new NodeRedCluster({ INCIDENT_INTAKE_OUTBOUND_ALLOW: '127.0.0.1' });
    const flow = clusterFlow({ storeUrl, secrets, receiverUrl: receiver.url, receiverSecret, incidentIoUrl: incidentIo.url, alertSourceId: ALERT_SOURCE_ID, alertSourceToken, budget: BUDGET });
    proxy = await RoundRobinProxy.start(await nodeRed.start(INSTANCES, flow));
    sender = new ClusterSender(proxy.url);
  }, 240_000);

  afterAll(async () => {
    await sender?.close();
    await proxy?.close();
    await nodeRed?.stop();
    await Promise.allSettled([receiver?.close(), incidentIo?.close(), store?.close()]);
    await cluster?.destroy();
  }, 120_000);

  it('takes a few thousand signed events from four providers and drains them', async () => {
    const startedAt = Date.now();
    const path = (id: string) => `/intake/${id}`;
    let sending = true;
    const reviewing = promoteConcurrently(sender, storeUrl, INSTANCES, () => !sending);

    const firstWave = interleave(
      alertmanagerTraffic(secrets.alertmanager, path(SOURCES.alertmanager.id), ALERT_IDENTITIES, ALERT_GROUP).firing,
      jiraTraffic(secrets.jira, path(SOURCES.jira.id), JIRA_ISSUES),
      pagerDutyTraffic(secrets.pagerduty, path(SOURCES.pagerduty.id), PAGERDUTY_INCIDENTS),
      floodTraffic(secrets.generic, path(SOURCES.generic.id), FLOOD),
    );
    await inParallel(firstWave, SENDERS, (request) => sender.send(request));
    receiver.failFor(8_000);
    // Signed now, not at the start: Standard Webhooks signatures are only good for five minutes.
    const laterWave = interleave(alertmanagerTraffic(secrets.alertmanager, path(SOURCES.alertmanager.id), ALERT_IDENTITIES, ALERT_GROUP).later, pagerDutyTraffic(secrets.pagerduty, path(SOURCES.pagerduty.id), PAGERDUTY_INCIDENTS, true));
    await inParallel(laterWave, SENDERS, (request) => sender.send(request));
    sending = false;
    promotions = await reviewing;
    const sentAt = Date.now();

    await until(() => clusterDrained(storeUrl, routes), 360_000, () => nodeRed.logs());
    facts = await readClusterFacts(storeUrl, store, ['acme', 'thrifty']);
    const events = sender.accepted().reduce((sum, entry) => sum + entry.request.externalIds.length, 0);
    console.info(
      [
        `Node-RED ×${INSTANCES}: ${sender.sent.length} requests (${events} events accepted) in ${((sentAt - startedAt) / 1000).toFixed(1)} s`,
        `forwarded per instance: ${proxy.forwarded.join(' / ')}; promotions raced: ${promotions.raced}`,
        `deliveries: ${facts.deliveries.length} (webhook receiver answered 503 ${receiver.failed} times); incident.io alert events: ${incidentIo.accepted().length}, busiest minute ${JSON.stringify(incidentIo.busiestMinute())}`,
        `drained after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
      ].join('\n'),
    );
    expect(facts.incidents.length).toBeGreaterThan(0);
  }, 600_000);

  it('answers every request: 2xx, or 429 beyond the budget', () => checkAnswers(sender, SOURCES.generic.tenant));
  it('stores every 2xx-answered request exactly once', () => checkStoredOnce(sender, facts));
  it('makes one incident per identity, promotes each event once, keeps the audit chains intact', () => checkIncidents(sender, facts, 'acme'));
  it('lets exactly one of two instances promote an event asked of both at once', () => {
    const winners = [...promotions.answers.values()].map((answers) => answers.filter((status) => status === 200).length);
    expect(winners.filter((count) => count > 1)).toEqual([]);
    expect([...promotions.answers.values()].flat().filter((status) => status !== 200 && status !== 409)).toEqual([]);
    expect(promotions.raced).toBeGreaterThan(ALERT_IDENTITIES / 2);
  });
  it('holds the tenant budget across all instances', () => checkBudget(sender, facts, SOURCES.generic.tenant, BUDGET));
  it('delivers or dead-letters every incident change once, under one idempotency key', () => {
    const { redelivered } = checkDeliveries(facts, receiver, routes, NODE_RED_DESTINATIONS.webhook);
    expect(redelivered).toBeLessThanOrEqual(nodeRed.kills * 16);
    expect(receiver.failed).toBeGreaterThan(0);
  });
  it('keeps each incident in order at incident.io', () => checkIncidentOrder(incidentIo));
  it("holds incident.io's 120/min per alert source across every instance and node", () => checkAlertSourceRate(incidentIo));
});
