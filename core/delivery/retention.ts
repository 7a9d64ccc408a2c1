import { systemClock, type Clock } from '../clock';
import type { Store } from '../store/store';

/**
 * Deletes delivered and cancelled deliveries (and their attempts) older than `retainMs`. Dead letters and
 * pending work are kept whatever their age: they still need someone.
 */
export function purgeFinishedDeliveries(store: Store, tenant: string, retainMs: number, options: { clock?: Clock } = {}): Promise<number> {
  const before = (options.clock ?? systemClock).now() - retainMs;
  return store.transaction((repositories) => repositories.deliveries.deleteFinishedBefore(tenant, before));
}
