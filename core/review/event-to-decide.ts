import { NotFoundError } from '../errors';
import type { EventRecord } from '../store/records';
import type { Repositories } from '../store/store';

/**
 * The event as it stands once no other decision about its incident identity is in progress: the identity
 * lock is held until the caller's transaction ends, and the event is read again after taking it, because an
 * intake that held the lock may just have folded a newer version of the incident into it.
 */
export async function eventToDecide(repositories: Repositories, tenant: string, eventId: string): Promise<EventRecord> {
  const first = await repositories.events.get(tenant, eventId);
  if (!first) throw new NotFoundError('event', eventId);
  if (first.dedupeKey === null) return first;
  await repositories.incidents.lockIdentity(tenant, first.dedupeKey);
  const event = await repositories.events.get(tenant, eventId);
  if (!event) throw new NotFoundError('event', eventId);
  return event;
}
