import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Store } from '../../../../core/store/store';
import { generateStandardWebhookSecret } from '../../../../core/signing';
import type { AlertSourceStandIn } from './alert-source-stand-in';
import { checkAlertSourceRate, checkAnswers, checkBudget, checkDeliveries, checkIncidentOrder, checkIncidents, checkMappingInTime, checkStoredOnce } from './cluster-checks';
import { clusterDrained, readClusterFacts, type ClusterFacts, type IncidentRow } from './cluster-facts';
import type { ClusterSender } from './cluster-sender';
import type { OutageReceiver } from './outage-receiver';
import { alertmanagerTraffic, floodTraffic, jiraTraffic, pagerDutyTraffic, SOURCES, type SourceSecrets } from './provider-traffic';
import { inParallel, interleave, promoteConcurrently, until, type PromotionRecord } from './run-traffic';

/** SCALE_TRAFFIC scales the amounts down (or up) for a quick run on a busy machine; CI runs the default, 1. */
const FACTOR = Number(process.env.SCALE_TRAFFIC ?? 1);
const scaled = (count: number) => Math.max(6, Math.round(count * FACTOR));

/** The traffic both engines take. */
export const TRAFFIC = {
  alertIdentities: scaled(900),
  alertGroup: 6,
  jiraIssues: scaled(90),
  pagerDutyIncidents: scaled(60),
  flood: scaled(150),
  budget: scaled(60),
  senders: 10,
} as const;
export const ALERT_SOURCE_ID = '01SCALEALERTSOURCE';
/** Requests the webhook receiver fails (503) once the first wave is in: retries then interleave with new changes. */
const RECEIVER_OUTAGE = 60;

export function newSecrets(): SourceSecrets & { receiver: string; alertSourceToken: string } {
  return {
    alertmanager: generateStandardWebhookSecret(),
    jira: randomBytes(24).toString('hex'),
    pagerduty: randomBytes(24).toString('hex'),
    generic: generateStandardWebhookSecret(),
    receiver: generateStandardWebhookSecret(),
    alertSourceToken: `alert-token-${randomBytes(12).toString('hex')}`,
  };
}

export interface Destinations {
  webhook: string;
  jiraAlerts: string;
  pagerDutyAlerts: string;
}

/** Which destinations an incident's changes go to, the same in both engines. */
export function routesFor(destinations: Destinations): (incident: IncidentRow) => string[] {
  return (incident) => {
    if (incident.tenant !== 'acme') return [];
    if (incident.sourceId === SOURCES.jira.id) return [destinations.webhook, destinations.jiraAlerts];
    if (incident.sourceId === SOURCES.pagerduty.id) return [destinations.webhook, destinations.pagerDutyAlerts];
    return [destinations.webhook];
  };
}

export interface ScenarioInput {
  sender: ClusterSender;
  storeUrl: string;
  secrets: SourceSecrets;
  paths: Record<keyof SourceSecrets | 'decision', string>;
  instances: number;
  receiver: OutageReceiver;
  /** Called after each request of the first wave, with the fraction sent so far: where the faults go. */
  onProgress?: (fraction: number) => Promise<void> | void;
}

export interface ScenarioRun {
  promotions: PromotionRecord;
  startedAt: number;
  sentAt: number;
}

/**
 * Sends the traffic: the four providers interleaved, then the later wave (resolutions, Alertmanager repeats,
 * PagerDuty resolutions) while the webhook receiver is down, with every pending event approved through two
 * instances at the same moment throughout.
 */
export async function sendScenario(input: ScenarioInput): Promise<ScenarioRun> {
  const { sender, secrets, paths } = input;
  const startedAt = Date.now();
  let sending = true;
  const reviewing = promoteConcurrently(sender, input.storeUrl, input.instances, paths.decision, () => !sending);
  const firstWave = interleave(
    alertmanagerTraffic(secrets.alertmanager, paths.alertmanager, TRAFFIC.alertIdentities, TRAFFIC.alertGroup).firing,
    jiraTraffic(secrets.jira, paths.jira, TRAFFIC.jiraIssues),
    pagerDutyTraffic(secrets.pagerduty, paths.pagerduty, TRAFFIC.pagerDutyIncidents),
    floodTraffic(secrets.generic, paths.generic, TRAFFIC.flood),
  );
  let done = 0;
  await inParallel(firstWave, TRAFFIC.senders, async (request) => {
    await sender.send(request);
    await input.onProgress?.(++done / firstWave.length);
  });
  input.receiver.failNext(RECEIVER_OUTAGE);
  // Signed now, not at the start: Standard Webhooks signatures are good for five minutes only.
  const laterWave = interleave(
    alertmanagerTraffic(secrets.alertmanager, paths.alertmanager, TRAFFIC.alertIdentities, TRAFFIC.alertGroup).later,
    pagerDutyTraffic(secrets.pagerduty, paths.pagerduty, TRAFFIC.pagerDutyIncidents, true),
  );
  await inParallel(laterWave, TRAFFIC.senders, (request) => sender.send(request));
  sending = false;
  const promotions = await reviewing;
  return { promotions, startedAt, sentAt: Date.now() };
}

/**
 * Waits up to 6 minutes for every pending event, delivery and routed change to be worked off, then reads what
 * the database holds. A run that did not drain is still checked on that, so the checks say what is missing.
 */
export async function drainedFacts(storeUrl: string, store: Store, routes: (incident: IncidentRow) => string[]): Promise<{ drained: boolean; facts: ClusterFacts }> {
  const drained = await until(() => clusterDrained(storeUrl, routes), 360_000).then(() => true, () => false);
  return { drained, facts: await readClusterFacts(storeUrl, store, ['acme', 'thrifty']) };
}

export function describeRun(engine: string, sender: ClusterSender, run: ScenarioRun, facts: ClusterFacts, receiver: OutageReceiver, incidentIo: AlertSourceStandIn, extra: string[] = []): string {
  const events = sender.accepted().reduce((sum, entry) => sum + entry.request.externalIds.length, 0);
  const seconds = (run.sentAt - run.startedAt) / 1000;
  return [
    `${engine}: ${sender.sent.length} requests, ${events} events accepted in ${seconds.toFixed(1)} s (${(events / seconds).toFixed(0)} events/s); promotions raced: ${run.promotions.raced}`,
    `events quarantined for a slow mapping: ${facts.mappingOverruns}; deliveries: ${facts.deliveries.length} (receiver answered 503 ${receiver.failed} times); incident.io alert events: ${incidentIo.accepted().length}, busiest minute ${JSON.stringify(incidentIo.busiestMinute())}`,
    ...extra,
  ].join('\n');
}

export interface CheckContext {
  sender: () => ClusterSender;
  facts: () => ClusterFacts;
  run: () => ScenarioRun;
  receiver: () => OutageReceiver;
  incidentIo: () => AlertSourceStandIn;
  routes: (incident: IncidentRow) => string[];
  webhookDestination: string;
  /** Processes killed: each may have died between a receiver's answer and its record. */
  kills: () => number;
}

/** The checks, one test each, so a failing one does not hide the others. */
export function scenarioChecks(context: CheckContext): void {
  it('answers every request: 2xx, or 429 beyond the budget', () => checkAnswers(context.sender(), SOURCES.generic.tenant));
  it('stores every 2xx-answered request exactly once', () => checkStoredOnce(context.sender(), context.facts()));
  it('makes one incident per identity, promotes each event once, keeps the audit chains intact', () => checkIncidents(context.sender(), context.facts(), 'acme'));
  it('lets at most one of two instances asked at the same moment promote an event', () => {
    const { promotions } = context.run();
    const winners = [...promotions.answers.values()].map((answers) => answers.filter((status) => status === 200).length);
    expect(winners.filter((count) => count > 1)).toEqual([]);
    expect(promotions.raced).toBeGreaterThan(TRAFFIC.alertIdentities / 2);
  });
  it('holds the tenant budget across all processes', () => checkBudget(context.sender(), context.facts(), SOURCES.generic.tenant, TRAFFIC.budget));
  it('delivers or dead-letters every incident change once, under one idempotency key', () => {
    const { redelivered } = checkDeliveries(context.facts(), context.receiver(), context.routes, context.webhookDestination);
    expect(redelivered).toBeLessThanOrEqual(context.kills() * 16);
    expect(context.receiver().failed).toBeGreaterThan(0);
  });
  it('keeps each incident in order at incident.io', () => checkIncidentOrder(context.incidentIo()));
  it("holds incident.io's 120/min per alert source across every process and node", () => checkAlertSourceRate(context.incidentIo()));
  it('maps every event within its time limit (none quarantined for a slow mapping)', () => checkMappingInTime(context.facts()));
}
