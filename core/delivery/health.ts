import type { Store } from '../store/store';

/** One destination at a glance. */
export interface DestinationHealth {
  tenant: string;
  destinationId: string;
  kind: string | null;
  enabled: boolean;
  disabledReason: string | null;
  pausedUntil: number | null;
  /** Deliveries not finished yet: scheduled (first try or retry) plus in flight. */
  active: number;
  inFlight: number;
  delivered: number;
  /** Scheduled deliveries that already failed at least once in their current budget. */
  scheduledRetries: number;
  deadLettered: number;
  cancelled: number;
  /** The earliest time a scheduled delivery falls due. */
  nextAttemptAt: number | null;
  lastResult: Record<string, unknown> | null;
  lastResultAt: number | null;
}

export async function destinationHealth(store: Store, tenant: string, destinationId: string): Promise<DestinationHealth> {
  return store.transaction(async (repositories) => {
    const destination = await repositories.destinations.get(tenant, destinationId);
    const counts = await repositories.deliveries.counts(tenant, destinationId);
    const nextAttemptAt = await repositories.deliveries.nextDueAt(tenant, destinationId);
    return {
      tenant,
      destinationId,
      kind: destination?.kind ?? null,
      enabled: destination?.enabled ?? true,
      disabledReason: destination?.disabledReason ?? null,
      pausedUntil: destination?.pausedUntil ?? null,
      active: counts.scheduled + counts.in_flight,
      inFlight: counts.in_flight,
      delivered: counts.delivered,
      scheduledRetries: counts.scheduledRetries,
      deadLettered: counts.dead_letter,
      cancelled: counts.cancelled,
      nextAttemptAt: nextAttemptAt ?? null,
      lastResult: destination?.lastResult ?? null,
      lastResultAt: destination?.lastResultAt ?? null,
    };
  });
}
