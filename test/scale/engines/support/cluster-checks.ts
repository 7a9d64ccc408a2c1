import { expect } from 'vitest';
import type { AlertSourceStandIn } from './alert-source-stand-in';
import { ALERT_SOURCE_PER_MINUTE } from './alert-source-stand-in';
import { isSuccess, type ClusterSender } from './cluster-sender';
import type { ClusterFacts, IncidentRow } from './cluster-facts';
import type { OutageReceiver } from './outage-receiver';

/**
 * The checks every scale-out run ends with, from the shared database and the receivers; each returns nothing
 * and fails through `expect`. They do not depend on which engine ran the traffic.
 */

/** Every copy ended with 2xx, or 429 for the tenant whose budget is smaller than its traffic; everything else was accepted. */
export function checkAnswers(sender: ClusterSender, budgetTenant: string): void {
  const unfinished = sender.sent.flatMap((entry) => entry.exchanges.map((copy) => ({ id: entry.request.sourceId, answer: copy.at(-1)! }))).filter(({ answer }) => !isSuccess(answer) && answer.status !== 429);
  expect(unfinished).toEqual([]);
  const refusedElsewhere = sender.sent.filter((entry) => entry.request.tenant !== budgetTenant && !sender.accepted().includes(entry));
  expect(refusedElsewhere.map((entry) => entry.request.sourceId)).toEqual([]);
}

/**
 * Every 2xx-answered request is stored exactly once: every copy's answer names one receipt, which holds its
 * events (or, quarantined as a whole, one event); no other receipt exists.
 */
export function checkStoredOnce(sender: ClusterSender, facts: ClusterFacts): void {
  const receipts = new Map(facts.receipts.map((receipt) => [receipt.id, receipt]));
  const named = new Set<string>();
  const problems: string[] = [];
  for (const entry of sender.accepted()) {
    const ids = new Set(entry.exchanges.map((copy) => copy.at(-1)).filter(isSuccess).map((answer) => answer!.receiptId));
    const [id] = [...ids];
    const receipt = id ? receipts.get(id) : undefined;
    const expected = receipt?.outcome === 'quarantined' && receipt.events === 1 ? 1 : entry.request.externalIds.length;
    if (ids.size !== 1 || !id) problems.push(`${entry.request.sourceId}: copies named receipts ${[...ids].join(', ')}`);
    else if (receipt?.events !== expected) problems.push(`${entry.request.sourceId}: receipt ${id} (${receipt?.outcome}) holds ${receipt?.events} events, sent ${entry.request.externalIds.length}`);
    if (id) named.add(id);
  }
  expect(problems).toEqual([]);
  expect(facts.receipts.filter((receipt) => !named.has(receipt.id)).map((receipt) => `${receipt.sourceId}/${receipt.id}`)).toEqual([]);
  expect(named.size).toBe(facts.receipts.length);
}

/**
 * One incident per identity accepted, none twice, in the status its last accepted request gave it; nothing left
 * in review; no event promoted twice; every tenant's audit chain intact.
 */
export function checkIncidents(sender: ClusterSender, facts: ClusterFacts, tenant: string): void {
  const incidents = facts.incidents.filter((incident) => incident.tenant === tenant);
  expect(new Set(incidents.map((incident) => incident.dedupeKey)).size).toBe(incidents.length);
  const expected = new Map<string, string>();
  // A request quarantined as a whole (see checkMappingInTime) changes no incident.
  const quarantined = new Set(facts.receipts.filter((receipt) => receipt.outcome === 'quarantined').map((receipt) => receipt.id));
  const changing = sender.accepted().filter((entry) => !entry.exchanges.some((copy) => quarantined.has(copy.at(-1)?.receiptId ?? '')));
  for (const { request } of changing.filter((entry) => entry.request.tenant === tenant)) {
    for (const externalId of request.externalIds) {
      const key = `${request.sourceId}/${externalId}`;
      if (request.kind === 'resolved') expected.set(key, 'resolved');
      else if (!expected.has(key)) expected.set(key, 'open');
    }
  }
  const actual = new Map(incidents.map((incident) => [`${incident.sourceId}/${incident.externalId}`, incident.status === 'resolved' ? 'resolved' : 'open']));
  expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...expected].sort()));
  expect(facts.pending).toBe(0);
  expect([...facts.promotions].filter(([, count]) => count !== 1)).toEqual([]);
  expect(facts.audit.filter((trail) => trail.broken !== undefined)).toEqual([]);
  expect(facts.audit.every((trail) => trail.entries > 0)).toBe(true);
}

/** Never more accepted than the tenant's daily budget, across all processes; the rest got 429 with Retry-After. */
export function checkBudget(sender: ClusterSender, facts: ClusterFacts, tenant: string, budget: number): void {
  const answers = sender.sent.filter((entry) => entry.request.tenant === tenant).flatMap((entry) => entry.exchanges.map((copy) => copy.at(-1)!));
  const refused = answers.filter((answer) => answer.status === 429);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((answer) => Number(answer.retryAfter) > 0)).toBe(true);
  const accepted = sender.accepted().filter((entry) => entry.request.tenant === tenant).length;
  expect(accepted).toBe(budget);
  expect(facts.budgetCounts[tenant]).toBe(budget);
}

/**
 * Every incident change (each version of each incident) reached each destination it is routed to as one
 * delivery, delivered or dead-lettered, with exactly one recorded success when delivered. Every request the
 * webhook receiver saw carried the key of a known delivery, signed, with that delivery's change; each
 * delivered key was answered 2xx at least once (more only when a process died between the answer and its record).
 */
export function checkDeliveries(facts: ClusterFacts, receiver: OutageReceiver, routes: (incident: IncidentRow) => string[], webhookDestination: string): { redelivered: number } {
  const byChange = new Map<string, number>();
  for (const delivery of facts.deliveries) {
    const change = `${delivery.destinationId}/${delivery.incidentId}@${delivery.version}`;
    byChange.set(change, (byChange.get(change) ?? 0) + 1);
  }
  const missing: string[] = [];
  for (const incident of facts.incidents.filter((item) => routes(item).length > 0)) {
    for (const destination of routes(incident)) {
      for (let version = 1; version <= incident.version; version++) {
        if (byChange.get(`${destination}/${incident.id}@${version}`) !== 1) missing.push(`${destination}/${incident.id}@${version}: ${byChange.get(`${destination}/${incident.id}@${version}`) ?? 0}`);
      }
    }
  }
  expect(missing).toEqual([]);
  expect(facts.deliveries.filter((delivery) => delivery.state !== 'delivered' && delivery.state !== 'dead_letter')).toEqual([]);
  expect(facts.deliveries.filter((delivery) => delivery.state === 'delivered' && delivery.successes !== 1).map((delivery) => delivery.key)).toEqual([]);

  const webhook = new Map(facts.deliveries.filter((delivery) => delivery.destinationId === webhookDestination).map((delivery) => [delivery.key, delivery]));
  const strangers = receiver.received.filter((entry) => {
    const delivery = webhook.get(entry.key);
    return !delivery || delivery.incidentId !== entry.incidentId || delivery.version !== entry.version || !entry.verified;
  });
  expect(strangers).toEqual([]);
  const successes = receiver.successes();
  const undelivered = [...webhook.values()].filter((delivery) => delivery.state === 'delivered' && !successes.has(delivery.key));
  expect(undelivered.map((delivery) => delivery.key)).toEqual([]);
  return { redelivered: [...successes.values()].filter((list) => list.length > 1).length };
}

/** incident.io's 120 events a minute per alert source held across every process and node; never a 429. */
export function checkAlertSourceRate(standIn: AlertSourceStandIn): void {
  expect(standIn.accepted().length).toBeGreaterThan(0);
  const busiest = standIn.busiestMinute();
  expect(Object.values(busiest).every((count) => count <= ALERT_SOURCE_PER_MINUTE), JSON.stringify(busiest)).toBe(true);
  expect(standIn.refused().length).toBe(0);
}

/** Per incident, incident.io never gets a firing event after it accepted the resolution. */
export function checkIncidentOrder(standIn: AlertSourceStandIn): void {
  const resolvedAt = new Map<string, number>();
  const outOfOrder: string[] = [];
  for (const request of standIn.accepted()) {
    const key = request.dedupeKey ?? '';
    if (request.alertStatus === 'resolved') resolvedAt.set(key, request.at);
    else if (resolvedAt.has(key)) outOfOrder.push(key);
  }
  expect(outOfOrder).toEqual([]);
  expect(resolvedAt.size).toBeGreaterThan(0);
}

/**
 * No event was quarantined because its mapping overran the per-event time limit (250 ms of wall time): valid
 * events that a loaded host maps too slowly are quarantined instead of becoming incidents.
 */
export function checkMappingInTime(facts: ClusterFacts): void {
  expect(facts.mappingOverruns).toBe(0);
}
