import type { Repositories } from '../store/store';
import type { IntakeLimits } from '../intake/source-config';
import { dayWindow, hourWindow, secondsUntilNextDay } from './windows';

export type BudgetDecision =
  | { ok: true }
  | { ok: false; code: 'tenant_budget_exhausted'; retryAfterSeconds: number; message: string }
  | { ok: false; code: 'source_limit_exceeded'; message: string };

/**
 * Whether either budget is already spent, without counting anything or locking a counter row. Lets a flood
 * beyond the budget be refused before anything is written; {@link chargeBudgets} still decides atomically.
 */
export async function budgetSpent(counters: Repositories['counters'], tenant: string, sourceId: string, limits: IntakeLimits, now: number): Promise<BudgetDecision> {
  if ((await counters.read(tenant, 'tenant-day', dayWindow(now))) >= limits.tenantPerDay) return tenantSpent(limits, now);
  if ((await counters.read(tenant, `source-hour:${sourceId}`, hourWindow(now))) >= limits.sourcePerHour) return sourceSpent(limits);
  return { ok: true };
}

function tenantSpent(limits: IntakeLimits, now: number): BudgetDecision {
  return {
    ok: false,
    code: 'tenant_budget_exhausted',
    retryAfterSeconds: secondsUntilNextDay(now),
    message: `the tenant's daily budget of ${limits.tenantPerDay} requests is spent until 00:00 UTC`,
  };
}

function sourceSpent(limits: IntakeLimits): BudgetDecision {
  return { ok: false, code: 'source_limit_exceeded', message: `the source exceeded its limit of ${limits.sourcePerHour} requests per hour` };
}

/**
 * Counts one request against the tenant's day budget and then the source's hour limit, inside the caller's
 * transaction (so several workers share one budget, and a request that is not stored is not charged).
 * Nothing is counted when the tenant budget is spent. When the source limit is the one exceeded, the
 * tenant's count has already gone up: the caller must roll its transaction back.
 */
export async function chargeBudgets(
  counters: Repositories['counters'],
  tenant: string,
  sourceId: string,
  limits: IntakeLimits,
  now: number,
): Promise<BudgetDecision> {
  const tenantCount = await counters.incrementWithin(tenant, 'tenant-day', dayWindow(now), limits.tenantPerDay);
  if (tenantCount === undefined) return tenantSpent(limits, now);
  const sourceCount = await counters.incrementWithin(tenant, `source-hour:${sourceId}`, hourWindow(now), limits.sourcePerHour);
  if (sourceCount === undefined) return sourceSpent(limits);
  return { ok: true };
}

/** The two counters a request is charged to: the tenant's day and the source's hour. */
export interface BudgetCounter {
  name: string;
  windowStart: number;
  limit: number;
}

export function budgetCounters(sourceId: string, limits: IntakeLimits, now: number): [BudgetCounter, BudgetCounter] {
  return [
    { name: 'tenant-day', windowStart: dayWindow(now), limit: limits.tenantPerDay },
    { name: `source-hour:${sourceId}`, windowStart: hourWindow(now), limit: limits.sourcePerHour },
  ];
}

/** {@link budgetSpent} from counts this unit of work already read (one per {@link budgetCounters}, in order). */
export function budgetSpentFrom(counts: readonly number[], limits: IntakeLimits, now: number): BudgetDecision {
  if ((counts[0] ?? 0) >= limits.tenantPerDay) return tenantSpent(limits, now);
  if ((counts[1] ?? 0) >= limits.sourcePerHour) return sourceSpent(limits);
  return { ok: true };
}

/**
 * Counts one request against both budgets, which this unit of work read below their limits: queued with its
 * other writes, and run again from the start when another request took a counter to its limit in between (the
 * next run reads it spent and refuses), so the budgets stay exact across workers and processes.
 */
export async function chargeReadBudgets(counters: Repositories['counters'], tenant: string, budgets: readonly BudgetCounter[]): Promise<void> {
  for (const { name, windowStart, limit } of budgets) await counters.chargeWithin(tenant, name, windowStart, limit);
}
