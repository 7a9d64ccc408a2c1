import { systemClock, type Clock } from '../clock';
import type { DeadLetterFilter, ReplayOutcome } from '../store/repositories/delivery-repository';
import type { Store } from '../store/store';

export interface ReplaySelection {
  tenant: string;
  destinationId: string;
  /** Only these deliveries. Without `ids` (and `filter`), every dead letter of the destination. */
  ids?: readonly string[];
  filter?: DeadLetterFilter;
  /** Replay even a dead letter whose incident has a newer version delivered or pending (normally skipped as `superseded`). */
  force?: boolean;
}

/**
 * Schedules dead letters again, due now, with a fresh retry budget. The idempotency key is kept, so a receiver
 * that did process an earlier attempt recognises the replay. An older version of an incident whose newer
 * version was delivered or is pending (or is replayed with it) is skipped as `superseded`, unless `force`.
 * Returns the ids that were replayed and those skipped, with why.
 */
export function replayDeadLetters(store: Store, selection: ReplaySelection, options: { clock?: Clock } = {}): Promise<ReplayOutcome> {
  const now = (options.clock ?? systemClock).now();
  return store.transaction((repositories) =>
    repositories.deliveries.replayDeadLetters(selection.tenant, selection.destinationId, { ids: selection.ids, filter: selection.filter, force: selection.force }, now),
  );
}

/**
 * Turns a destination disabled by a 410 (or by hand) back on; its scheduled deliveries resume. With an
 * `actor`, the change is audited. Returns false when it was not disabled.
 */
export function enableDestination(store: Store, tenant: string, destinationId: string, options: { clock?: Clock; actor?: string } = {}): Promise<boolean> {
  const now = (options.clock ?? systemClock).now();
  return store.transaction(async (repositories) => {
    const enabled = await repositories.destinations.enable(tenant, destinationId, now);
    if (enabled && options.actor) {
      await repositories.audit.append({ tenant, at: now, actor: options.actor, action: 'destination.enabled', subjectType: 'destination', subjectId: destinationId });
    }
    return enabled;
  });
}

/** Turns a destination off by hand (its deliveries wait, nothing is lost), audited with the actor and reason. Returns false when it was already off. */
export function disableDestination(store: Store, tenant: string, destinationId: string, options: { actor: string; reason: string; clock?: Clock }): Promise<boolean> {
  const now = (options.clock ?? systemClock).now();
  return store.transaction(async (repositories) => {
    const disabled = await repositories.destinations.disable(tenant, destinationId, options.reason, now);
    if (disabled) {
      await repositories.audit.append({ tenant, at: now, actor: options.actor, action: 'destination.disabled', subjectType: 'destination', subjectId: destinationId, details: { reason: options.reason } });
    }
    return disabled;
  });
}

/** Stops a delivery that is scheduled or dead-lettered; one being sent right now finishes first. */
export function cancelDelivery(store: Store, tenant: string, deliveryId: string, options: { clock?: Clock } = {}): Promise<boolean> {
  const now = (options.clock ?? systemClock).now();
  return store.transaction((repositories) => repositories.deliveries.cancel(tenant, deliveryId, now));
}
