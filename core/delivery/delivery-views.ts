import type { DeliveryAttemptRecord, DeliveryRecord } from '../store/delivery-records';
import type { DeliveryListQuery } from '../store/repositories/delivery-repository';
import type { Store } from '../store/store';

/** A delivery with every attempt made for it, for a host's "delivery details" view. */
export async function deliveryDetails(store: Store, tenant: string, deliveryId: string): Promise<{ delivery: DeliveryRecord; attempts: DeliveryAttemptRecord[] } | undefined> {
  return store.transaction(async (repositories) => {
    const delivery = await repositories.deliveries.get(tenant, deliveryId);
    if (!delivery) return undefined;
    return { delivery, attempts: await repositories.deliveryAttempts.forDelivery(tenant, deliveryId) };
  });
}

/** Deliveries of a tenant, oldest first, e.g. `{destinationId, state: 'dead_letter'}` for a dead-letter view. */
export function listDeliveries(store: Store, tenant: string, query: DeliveryListQuery = {}): Promise<DeliveryRecord[]> {
  return store.transaction((repositories) => repositories.deliveries.list(tenant, query));
}
