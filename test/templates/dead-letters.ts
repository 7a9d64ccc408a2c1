import type { DeliveryRecord } from '../../core/store/delivery-records';
import type { Store } from '../../core/store/store';

/** Writes `count` dead-lettered deliveries for a destination, dead-lettered one minute apart from `at`. */
export async function seedDeadLetters(store: Store, options: { tenant: string; destinationId: string; count: number; at: number; lastStatus?: number }): Promise<string[]> {
  const ids: string[] = [];
  await store.transaction(async (r) => {
    await r.destinations.ensure(options.tenant, options.destinationId, 'webhook', options.at);
    for (let index = 0; index < options.count; index++) {
      const id = `dlv_seed_${options.destinationId}_${index}`;
      const at = options.at + index * 60_000;
      const record: DeliveryRecord = {
        id, tenant: options.tenant, destinationId: options.destinationId, incidentId: `inc_seed_${index}`, eventVersion: 1, eventKind: 'incident.created',
        idempotencyKey: `key_${id}`, payload: { type: 'incident.created' }, state: 'dead_letter', attempts: 6, totalAttempts: 6, replays: 0,
        nextAttemptAt: null, leaseOwner: null, leaseExpiresAt: null, lastStatus: options.lastStatus ?? 503, lastError: 'http_503', remoteId: null,
        createdAt: at, updatedAt: at, deliveredAt: null, deadLetteredAt: at,
      };
      await r.deliveries.insert(record);
      ids.push(id);
    }
  });
  return ids;
}
