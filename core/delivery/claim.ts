import type { ClaimedDelivery } from '../store/repositories/delivery-repository';
import type { Repositories, Store } from '../store/store';
import type { DeliveryJob } from './adapters/adapter';
import type { DeliveryEvent } from './delivery-event';
import type { DestinationRuntime } from './destination-runtime';
import { refill, take } from './token-bucket';

export interface ClaimOptions {
  owner: string;
  now: number;
  limit: number;
  leaseMs: number;
}

/**
 * Leases due deliveries of one destination in one transaction: skipped while the destination is disabled or
 * paused, limited by its token bucket (a row in the store shared by every destination and worker that draws
 * from the same bucket, locked while it is drawn from), FIFO per incident when the policy asks. An attempt
 * that a dead worker never finished is recorded as interrupted.
 */
export function claimJobs(store: Store, runtime: DestinationRuntime, options: ClaimOptions): Promise<DeliveryJob[]> {
  const { tenant, id } = runtime.config;
  return store.transaction(async (repositories) => {
    const locked = await repositories.destinations.lockForClaim(tenant, id);
    if (!locked || !locked.destination.enabled) return [];
    if (locked.destination.pausedUntil !== null && locked.destination.pausedUntil > options.now) return [];
    const limit = runtime.policy.rateLimit;
    const bucket = limit ? refill(await repositories.rateBuckets.lock(runtime.policy.rateBucket, options.now), limit, options.now) : undefined;
    const wanted = bucket ? Math.min(options.limit, Math.floor(bucket.tokens)) : options.limit;
    if (wanted < 1) return [];
    const claimed = await repositories.deliveries.claimDue({
      tenant,
      destinationId: id,
      now: options.now,
      limit: wanted,
      owner: options.owner,
      leaseExpiresAt: options.now + options.leaseMs,
      perIncidentOrder: runtime.policy.perIncidentOrder,
    });
    if (bucket && claimed.length > 0) await repositories.rateBuckets.save(runtime.policy.rateBucket, take(bucket, claimed.length).state, options.now);
    for (const entry of claimed) if (entry.interrupted) await recordInterrupted(repositories, entry, options.now);
    const remoteRefs = runtime.adapter.readsRemoteRefs === false ? new Map<string, Record<string, string>>() : await repositories.remoteRefs.forIncidents(tenant, id, claimed.map(({ delivery }) => delivery.incidentId));
    return claimed.map(({ delivery }) => ({ delivery, event: delivery.payload as unknown as DeliveryEvent, remoteRefs: remoteRefs.get(delivery.incidentId) ?? {} }));
  });
}

/** The attempt a dead worker never finished, recorded as interrupted before the delivery is tried again. */
async function recordInterrupted(repositories: Repositories, claimed: ClaimedDelivery, now: number): Promise<void> {
  const { delivery, interrupted } = claimed;
  if (!interrupted) return;
  await repositories.deliveryAttempts.insert({
    deliveryId: delivery.id,
    number: interrupted.number,
    tenant: delivery.tenant,
    destinationId: delivery.destinationId,
    startedAt: interrupted.claimedAt,
    durationMs: 0,
    httpStatus: null,
    outcome: 'retry',
    reason: 'lease_expired',
    summary: { interrupted: true, leaseOwner: interrupted.owner, leaseExpiredAt: interrupted.leaseExpiredAt, reclaimedAt: now },
  });
}
