import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock';
import type { IncidentRecord } from '../store/records';
import type { DeliveryRecord } from '../store/delivery-records';
import type { Repositories, Store } from '../store/store';
import { deliveryEventFor, eventKindFor, type DeliveryEventKind } from './delivery-event';
import { deliveryIdempotencyKey } from './idempotency-key';

export interface EnqueueInput {
  /** A destination config, or just its identity; only these fields are stored (never its secrets). */
  destination: { id: string; kind: string; tenant?: string };
  /** The incident at the version to deliver. */
  incident: IncidentRecord;
  /** Defaults from the incident: version 1 → created, resolved → resolved, else updated. */
  kind?: DeliveryEventKind;
}

export interface EnqueueResult {
  delivery: DeliveryRecord;
  /** False when this change was already enqueued for the destination; `delivery` is then the existing one. */
  created: boolean;
}

/**
 * Adds a delivery inside a unit of work the caller already runs — e.g. the one that promotes or updates the
 * incident, so that the change and its delivery commit together (the outbox pattern).
 */
export async function enqueueDeliveryIn(repositories: Repositories, input: EnqueueInput, now: number): Promise<EnqueueResult> {
  const { incident, destination } = input;
  if (destination.tenant !== undefined && destination.tenant !== incident.tenant) {
    throw new Error(`destination ${destination.id} belongs to tenant ${destination.tenant}, the incident to ${incident.tenant}`);
  }
  await repositories.destinations.ensure(incident.tenant, destination.id, destination.kind, now);
  const key = deliveryIdempotencyKey(incident.tenant, destination.id, incident.id, incident.version);
  const kind = input.kind ?? eventKindFor(incident);
  const delivery = newDelivery(incident, destination.id, key, kind, now);
  if (await repositories.deliveries.insert(delivery)) return { delivery, created: true };
  const existing = await repositories.deliveries.getByKey(incident.tenant, destination.id, key);
  return { delivery: existing!, created: false };
}

/** {@link enqueueDeliveryIn} in a unit of work of its own. */
export function enqueueDelivery(store: Store, input: EnqueueInput, options: { clock?: Clock } = {}): Promise<EnqueueResult> {
  const now = (options.clock ?? systemClock).now();
  return store.transaction((repositories) => enqueueDeliveryIn(repositories, input, now));
}

function newDelivery(incident: IncidentRecord, destinationId: string, idempotencyKey: string, kind: DeliveryEventKind, now: number): DeliveryRecord {
  return {
    id: `dlv_${randomUUID().replaceAll('-', '')}`,
    tenant: incident.tenant,
    destinationId,
    incidentId: incident.id,
    eventVersion: incident.version,
    eventKind: kind,
    idempotencyKey,
    payload: deliveryEventFor(incident, kind, now) as unknown as Record<string, unknown>,
    state: 'scheduled',
    attempts: 0,
    totalAttempts: 0,
    replays: 0,
    nextAttemptAt: now,
    leaseOwner: null,
    leaseExpiresAt: null,
    lastStatus: null,
    lastError: null,
    remoteId: null,
    createdAt: now,
    updatedAt: now,
    deliveredAt: null,
    deadLetteredAt: null,
  };
}
