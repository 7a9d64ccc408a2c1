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
import { staleReason } from '../incidents/event-order';

export interface PromoteResult extends IncidentWriteResult {
  change: Exclude<IncidentWriteResult['change'], 'stale'>;
  event: EventRecord;
}

/**
 * The event is older than the newest event its incident has already taken (a late retry, or a second event
 * for the identity left waiting): it was recorded as `stale` — with the reviewer as actor — and not applied.
 */
export class StaleEventError extends ConflictError {
  constructor(readonly event: EventRecord) {
    super(`event ${event.id} was not applied and is now stale: ${event.decisionReason ?? 'it is older than its incident'}`);
    this.name = 'StaleEventError';
  }
}

export interface PromoteOptions {
  /** Destinations to enqueue the incident change for, in the same transaction as the promotion. */
  deliverTo?: readonly DeliveryTarget[];
}

/**
 * Promotes a pending event into an incident (or into the existing incident with its identity). The
 * pending → promoted transition is guarded in the store, so two reviewers can never both promote it.
 * An event older than its incident's newest event is moved to `stale` instead (committed, audited, nothing
 * delivered) and the call throws {@link StaleEventError}, so hosts answer the reviewer as for any refusal.
 */
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
  const result = await store.transaction(async (r): Promise<PromoteResult | EventRecord> => {
    const event = await eventToDecide(r, tenant, eventId);
    if (event.state !== 'pending_review') throw new ConflictError(`event ${eventId} is ${event.state}, not pending review${decidedBy(event)}`);
    const receipt = await r.receipts.get(tenant, event.receiptId);
    const candidate = event.candidate as CanonicalIncident;
    const written = await createOrUpdateIncident(r, candidate, { event, bodySha256: receipt?.bodySha256 ?? 'unknown', actor, reason, now });
    if (written.change === 'stale') {
      const why = staleReason(candidate, written.incident.lastEventAt!, `incident ${written.incident.id}`);
      const staled = await r.events.transition(tenant, eventId, 'pending_review', { state: 'stale', actor, reason: why, at: now, incidentId: written.incident.id });
      if (!staled) throw new ConflictError(`event ${eventId} was decided by someone else first`);
      await r.audit.append({ tenant, at: now, actor, action: 'event.stale', subjectType: 'event', subjectId: eventId, details: { reason: why, reviewerReason: reason, incidentId: written.incident.id } });
      return (await r.events.get(tenant, eventId))!;
    }
    const moved = await r.events.transition(tenant, eventId, 'pending_review', { state: 'promoted', actor, reason, at: now, incidentId: written.incident.id });
    if (!moved) throw new ConflictError(`event ${eventId} was decided by someone else first${decidedBy((await r.events.get(tenant, eventId))!)}`);
    await r.audit.append({ tenant, at: now, actor, action: 'event.promoted', subjectType: 'event', subjectId: eventId, details: { reason, incidentId: written.incident.id } });
    if (written.change !== 'unchanged' && options.deliverTo?.length) await enqueueForTargets(r, options.deliverTo, written.incident, now);
    return { ...written, change: written.change, event: (await r.events.get(tenant, eventId))! };
  });
  if ('state' in result) throw new StaleEventError(result);
  return result;
}
