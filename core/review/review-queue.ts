import { NotFoundError } from '../errors';
import { detectedTimeOf } from '../incident/detected-time';
import type { DetectedTime } from '../incident/detected-time';
import type { AuditEntry, EventRecord } from '../store/records';
import type { Store } from '../store/store';

export interface EventDetail {
  event: EventRecord;
  audit: AuditEntry[];
}

export interface ReviewQueueOptions {
  sourceId?: string;
  limit?: number;
  /** `stale`: the events recorded but not applied because they were older than their incident. */
  state?: 'pending_review' | 'stale';
}

/**
 * A waiting event with its detected time lifted out of the candidate, so a reviewer sees at a glance whose
 * clock started from the receipt (`detectedAtSource: received`) rather than from the event itself.
 */
export type ReviewQueueEntry = EventRecord & Partial<DetectedTime>;

/** Events waiting for a reviewer (or, with `state: 'stale'`, those set aside as out of date), newest first. */
export async function listReviewQueue(store: Store, tenant: string, options: ReviewQueueOptions = {}): Promise<ReviewQueueEntry[]> {
  const { state = 'pending_review', ...rest } = options;
  const events = await store.transaction((r) => r.events.list(tenant, { state, ...rest }));
  return events.map((event) => ({ ...event, ...detectedTimeOf(event.candidate) }));
}

/** One event with its audit trail. */
export async function getEvent(store: Store, tenant: string, eventId: string): Promise<EventDetail> {
  return store.transaction(async (r) => {
    const event = await r.events.get(tenant, eventId);
    if (!event) throw new NotFoundError('event', eventId);
    return { event, audit: await r.audit.forSubject(tenant, 'event', eventId) };
  });
}
