import type { IncidentRecord } from '../store/records';
import type { Repositories } from '../store/store';
import { enqueueDeliveryIn } from './enqueue';

/** A destination known by identity only (no secrets): enough to enqueue for it inside another unit of work. */
export interface DeliveryTarget {
  tenant: string;
  id: string;
  kind: string;
}

/**
 * Enqueues an incident change for each target in the caller's transaction — the one that creates, updates or
 * promotes the incident — so a crash can never keep the change and lose its delivery (the outbox pattern).
 * Targets of another tenant are skipped: they could never be served for this incident.
 */
export async function enqueueForTargets(repositories: Repositories, targets: readonly DeliveryTarget[], incident: IncidentRecord, now: number): Promise<void> {
  for (const target of targets) {
    if (target.tenant === incident.tenant) await enqueueDeliveryIn(repositories, { destination: target, incident }, now);
  }
}
