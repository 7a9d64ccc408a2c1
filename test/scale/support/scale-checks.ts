import { expect } from 'vitest';
import type { Store } from '../../../core/store/store';
import { fingerprint } from './alert-stream';
import type { CountingReceiver } from './counting-receiver';
import { isSuccess } from './sender';
import { attemptsOf, receiptOf, type StoreFacts } from './store-facts';
import type { Sent, Traffic } from './traffic';

/** Every copy ended with 2xx, or 429 beyond the budget; every request of the main stream was accepted. */
export function checkAnswers(traffic: Traffic): void {
  expect(traffic.answers().filter((answer) => !isSuccess(answer) && answer.status !== 429)).toEqual([]);
  const accepted = traffic.accepted();
  const mainRefused = traffic.sent.filter((entry) => entry.request.kind !== 'flood' && !accepted.includes(entry));
  expect(mainRefused.map((entry) => entry.request.messageId)).toEqual([]);
}

/** Every 2xx-answered request is stored exactly once (one receipt, named in every copy's answer, with its events); nothing else is. */
export async function checkStoredOnce(store: Store, tenant: string, sourceId: string, traffic: Traffic, facts: StoreFacts): Promise<void> {
  const accepted = traffic.accepted();
  for (const entry of accepted) {
    const receiptIds = new Set(entry.exchanges.map((copy) => copy.at(-1)).filter(isSuccess).map((answer) => answer!.receiptId));
    expect(receiptIds.size, entry.request.messageId).toBe(1);
    const { receipt, events } = await receiptOf(store, tenant, sourceId, entry.request.messageId);
    expect(receipt?.id, entry.request.messageId).toBe([...receiptIds][0]);
    expect(events.map((event) => (event.candidate as { externalId?: string } | null)?.externalId)).toEqual(entry.request.identities.map(fingerprint));
  }
  expect(facts.receiptCount).toBe(accepted.length);
}

/** One incident per accepted identity, in the latest status accepted for it; each created and each event promoted once. */
export function checkIncidents(traffic: Traffic, facts: StoreFacts): void {
  expect(facts.pending).toEqual([]);
  expect(new Set(facts.incidents.map((incident) => incident.dedupeKey)).size).toBe(facts.incidents.length);
  const actual = Object.fromEntries(facts.incidents.map((incident) => [incident.canonical.externalId, incident.status]));
  expect(actual).toEqual(Object.fromEntries(expectedStatuses(traffic.accepted())));
  const created = facts.audit.filter((entry) => entry.action === 'incident.created').map((entry) => entry.subjectId);
  expect(created.sort()).toEqual(facts.incidents.map((incident) => incident.id).sort());
  const promotions = facts.audit.filter((entry) => entry.action === 'event.promoted').map((entry) => entry.subjectId);
  expect(new Set(promotions).size).toBe(promotions.length);
  expect(facts.auditBreak).toBeUndefined();
}

/**
 * Every delivery completed with exactly one recorded success; the receiver answered each idempotency key 2xx
 * exactly once and saw only signed requests for known deliveries. Returns how many attempts were reclaimed.
 */
export async function checkDeliveries(store: Store, tenant: string, receiver: CountingReceiver, facts: StoreFacts): Promise<number> {
  expect(facts.deliveries.filter((delivery) => delivery.state !== 'delivered')).toEqual([]);
  const notOnce = facts.deliveries.filter((delivery) => receiver.successCount(delivery.idempotencyKey) !== 1);
  expect(Object.fromEntries(notOnce.map((delivery) => [delivery.idempotencyKey, receiver.answers.get(delivery.idempotencyKey)]))).toEqual({});
  expect([...receiver.answers.keys()].sort()).toEqual(facts.deliveries.map((delivery) => delivery.idempotencyKey).sort());
  expect([...receiver.answers.values()].flat().every((answer) => answer.verified)).toBe(true);
  const attempts = await Promise.all(facts.deliveries.map((delivery) => attemptsOf(store, tenant, delivery.id)));
  expect(attempts.map((list) => list.filter((attempt) => attempt.outcome === 'success').length)).toEqual(facts.deliveries.map(() => 1));
  return attempts.flat().filter((attempt) => attempt.reason === 'lease_expired').length;
}

/** Never more accepted requests than the budget allows, across all workers; the rest got 429 with Retry-After. */
export function checkBudget(traffic: Traffic, facts: StoreFacts, budget: number): void {
  const refused = traffic.answers().filter((answer) => answer.status === 429);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((answer) => Number(answer.retryAfter) > 0)).toBe(true);
  expect(traffic.accepted().length).toBeLessThanOrEqual(budget);
  expect(Math.max(...facts.budgetCounts)).toBeLessThanOrEqual(budget);
}

/** The status each identity's incident must end in: resolved when its resolved request was accepted, else open. */
function expectedStatuses(accepted: Sent[]): Map<string, string> {
  const statuses = new Map<string, string>();
  for (const { request } of accepted) {
    for (const identity of request.identities) {
      const key = fingerprint(identity);
      if (request.kind === 'resolved') statuses.set(key, 'resolved');
      else if (!statuses.has(key)) statuses.set(key, 'open');
    }
  }
  return statuses;
}
