import type { Repositories } from '../store/store';
import type { IntakeLimits } from '../intake/source-config';
import { dayWindow, hourWindow, secondsUntilNextDay } from './windows';

export type BudgetDecision =
  | { ok: true }
  | { ok: false; code: 'tenant_budget_exhausted'; retryAfterSeconds: number; message: string }
  | { ok: false; code: 'source_limit_exceeded'; message: string };

/** Thrown inside the budget transaction so the tenant increment is rolled back with it. */
class SourceLimitExceeded extends Error {}

/**
 * Counts one accepted request against the tenant's day budget and the source's hour limit, atomically in
 * the store (so several workers share one budget). Nothing is consumed when either is already spent.
 */
export async function consumeBudgets(
  transaction: <T>(work: (repositories: Repositories) => Promise<T>) => Promise<T>,
  tenant: string,
  sourceId: string,
  limits: IntakeLimits,
  now: number,
): Promise<BudgetDecision> {
  try {
    return await transaction(async ({ counters }) => {
      const tenantCount = await counters.incrementWithin(tenant, 'tenant-day', dayWindow(now), limits.tenantPerDay);
      if (tenantCount === undefined) {
        return {
          ok: false,
          code: 'tenant_budget_exhausted',
          retryAfterSeconds: secondsUntilNextDay(now),
          message: `the tenant's daily budget of ${limits.tenantPerDay} requests is spent until 00:00 UTC`,
        } as const;
      }
      const sourceCount = await counters.incrementWithin(tenant, `source-hour:${sourceId}`, hourWindow(now), limits.sourcePerHour);
      if (sourceCount === undefined) throw new SourceLimitExceeded();
      return { ok: true } as const;
    });
  } catch (error) {
    if (!(error instanceof SourceLimitExceeded)) throw error;
    return { ok: false, code: 'source_limit_exceeded', message: `the source exceeded its limit of ${limits.sourcePerHour} requests per hour` };
  }
}
