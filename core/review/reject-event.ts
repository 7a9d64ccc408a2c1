import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { ConflictError } from '../errors';
import type { EventRecord } from '../store/records';
import type { Store } from '../store/store';
import { checkDecision, type Decision } from './decision';
import { eventToDecide } from './event-to-decide';
import { decidedBy } from './decided-by';

/** Rejects a pending (or quarantined) event; it stays on record with who rejected it and why. */
export async function rejectEvent(store: Store, tenant: string, eventId: string, decision: Decision, clock: Clock = systemClock): Promise<EventRecord> {
  const { actor, reason } = checkDecision(decision);
  const now = clock.now();
  return store.transaction(async (r) => {
    const event = await eventToDecide(r, tenant, eventId);
    if (event.state !== 'pending_review' && event.state !== 'quarantined') {
      throw new ConflictError(`event ${eventId} is ${event.state}; only pending or quarantined events can be rejected${decidedBy(event)}`);
    }
    const moved = await r.events.transition(tenant, eventId, event.state, { state: 'rejected', actor, reason, at: now });
    if (!moved) throw new ConflictError(`event ${eventId} was decided by someone else first${decidedBy((await r.events.get(tenant, eventId))!)}`);
    await r.audit.append({ tenant, at: now, actor, action: 'event.rejected', subjectType: 'event', subjectId: eventId, details: { reason, from: event.state } });
    return (await r.events.get(tenant, eventId))!;
  });
}
