import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { ConflictError } from '../errors';
import type { CanonicalIncident } from '../incident/canonical-incident';
import { createOrUpdateIncident, type IncidentWriteResult } from '../incidents/create-incident';
import type { EventRecord } from '../store/records';
import type { Store } from '../store/store';
import { checkDecision, type Decision } from './decision';
import { enqueueForTargets, type DeliveryTarget } from '../delivery/delivery-target';
import { eventToDecide } from './event-to-decide';
import { decidedBy } from './decided-by';

export interface PromoteResult extends IncidentWriteResult {
  event: EventRecord;
}

/**
 * Promotes a pending event into an incident (or into the existing incident with its identity). The
 * pending → promoted transition is guarded in the store, so two reviewers can never both promote it.
 */
export interface PromoteOptions {
  /** Destinations to enqueue the incident change for, in the same transaction as the promotion. */
  deliverTo?: readonly DeliveryTarget[];
}

export async function promoteEvent(
  store: Store,
  tenant: string,
  eventId: string,
  decision: Decision,
  clock: Clock = systemClock,
  options: PromoteOptions = {},
): Promise<PromoteResult> {
  const { actor, reason } = checkDecision(decision);
  const now = clock.now();
  return store.transaction(async (r) => {
    const event = await eventToDecide(r, tenant, eventId);
    if (event.state !== 'pending_review') throw new ConflictError(`event ${eventId} is ${event.state}, not pending review${decidedBy(event)}`);
    const receipt = await r.receipts.get(tenant, event.receiptId);
    const written = await createOrUpdateIncident(r, event.candidate as CanonicalIncident, { event, bodySha256: receipt?.bodySha256 ?? 'unknown', actor, reason, now });
    const moved = await r.events.transition(tenant, eventId, 'pending_review', { state: 'promoted', actor, reason, at: now, incidentId: written.incident.id });
    if (!moved) throw new ConflictError(`event ${eventId} was decided by someone else first${decidedBy((await r.events.get(tenant, eventId))!)}`);
    await r.audit.append({ tenant, at: now, actor, action: 'event.promoted', subjectType: 'event', subjectId: eventId, details: { reason, incidentId: written.incident.id } });
    if (written.change !== 'unchanged' && options.deliverTo?.length) await enqueueForTargets(r, options.deliverTo, written.incident, now);
    return { ...written, event: (await r.events.get(tenant, eventId))! };
  });
}
