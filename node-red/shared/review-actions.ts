import { getEvent, listReviewQueue } from '../../core/review/review-queue';
import { promoteEvent } from '../../core/review/promote-event';
import { rejectEvent } from '../../core/review/reject-event';
import { disableSourceManually, enableSource, listQuarantined, sourceHealth } from '../../core/sources/source-admin';
import type { Store } from '../../core/store/store';
import type { DeliveryTarget } from '../../core/delivery/delivery-target';

export const REVIEW_ACTIONS = ['promote', 'reject', 'get', 'list', 'stale', 'quarantined', 'source-health', 'source-enable', 'source-disable'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export interface ReviewInput {
  tenant: string;
  sourceId: string;
  eventId?: string;
  actor?: string;
  reason?: string;
  force?: boolean;
  /** Delivery nodes wired to the output: a promotion enqueues for them in its own transaction. */
  deliverTo?: DeliveryTarget[];
}

/** Fields a review action adds to the outgoing message besides `payload`. */
export type ReviewResult = { payload: unknown } & Record<string, unknown>;

const required = (value: string | undefined, what: string): string => {
  if (!value?.trim()) throw new Error(`${what} is required for this action`);
  return value.trim();
};

/** Runs one review-node action against the core. Unknown actions and missing inputs throw readable errors. */
export async function runReviewAction(store: Store, action: ReviewAction, input: ReviewInput): Promise<ReviewResult> {
  const { tenant, sourceId } = input;
  switch (action) {
    case 'promote': {
      const decision = { actor: required(input.actor, 'an actor'), reason: required(input.reason, 'a reason') };
      const result = await promoteEvent(store, tenant, required(input.eventId, 'an event id'), decision, undefined, { deliverTo: input.deliverTo });
      return { payload: result.incident, incidentId: result.incident.id, version: result.incident.version, change: result.change, eventId: result.event.id, topic: `incident.${result.change}` };
    }
    case 'reject': {
      const event = await rejectEvent(store, tenant, required(input.eventId, 'an event id'), { actor: required(input.actor, 'an actor'), reason: required(input.reason, 'a reason') });
      return { payload: event, eventId: event.id, topic: 'rejected' };
    }
    case 'get':
      return { payload: await getEvent(store, tenant, required(input.eventId, 'an event id')) };
    case 'list':
      return { payload: await listReviewQueue(store, tenant) };
    case 'stale':
      return { payload: await listReviewQueue(store, tenant, { state: 'stale' }) };
    case 'quarantined':
      return { payload: await listQuarantined(store, tenant, sourceId) };
    case 'source-health':
      return { payload: await sourceHealth(store, tenant, sourceId) };
    case 'source-enable':
      return { payload: await enableSource(store, tenant, sourceId, required(input.actor, 'an actor'), { force: input.force === true }) };
    case 'source-disable':
      return { payload: await disableSourceManually(store, tenant, sourceId, required(input.reason, 'a reason'), required(input.actor, 'an actor')) };
    default:
      throw new Error(`unknown action ${String(action)}; use one of ${REVIEW_ACTIONS.join(', ')}`);
  }
}
