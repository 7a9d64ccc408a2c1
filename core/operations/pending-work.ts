import type { Store } from '../store/store';

/** The work waiting for people in some tenants: what a host shows beside its link to the console. */
export interface PendingWork {
  review: number;
  quarantined: number;
  /** Counted up to {@link DEAD_LETTER_COUNT_LIMIT} per tenant; more shows as that many. */
  deadLetters: number;
}

export const DEAD_LETTER_COUNT_LIMIT = 1000;

/** Pending review and quarantined events and dead letters, summed over the given tenants, in one read. */
export async function pendingWork(store: Store, tenants: Iterable<string>): Promise<PendingWork> {
  const work: PendingWork = { review: 0, quarantined: 0, deadLetters: 0 };
  await store.transaction(async (repositories) => {
    for (const tenant of new Set(tenants)) {
      const states = await repositories.events.countByState(tenant);
      work.review += states.pending_review ?? 0;
      work.quarantined += states.quarantined ?? 0;
      work.deadLetters += (await repositories.deliveries.list(tenant, { state: 'dead_letter', limit: DEAD_LETTER_COUNT_LIMIT })).length;
    }
  });
  return work;
}
