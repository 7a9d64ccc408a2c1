import { NotFoundError } from '../errors';
import type { AuditEntry, EventRecord } from '../store/records';
import type { Store } from '../store/store';

export interface EventDetail {
  event: EventRecord;
  audit: AuditEntry[];
}

/** Events waiting for a reviewer, newest first. */
export function listReviewQueue(store: Store, tenant: string, options: { sourceId?: string; limit?: number } = {}): Promise<EventRecord[]> {
  return store.transaction((r) => r.events.list(tenant, { state: 'pending_review', ...options }));
}

/** One event with its audit trail. */
export async function getEvent(store: Store, tenant: string, eventId: string): Promise<EventDetail> {
  return store.transaction(async (r) => {
    const event = await r.events.get(tenant, eventId);
    if (!event) throw new NotFoundError('event', eventId);
    return { event, audit: await r.audit.forSubject(tenant, 'event', eventId) };
  });
}
