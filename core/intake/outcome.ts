import type { EventState } from '../store/records';
import type { QuarantineReason } from '../mapping/normaliser';

/**
 * Every way an intake request can end, and the HTTP status the sender gets. Chosen with senders' retry
 * rules in mind: PagerDuty drops a delivery on any 4xx except 429 and disables the subscription after three
 * drops, so anything we have stored (even quarantined) is answered 2xx, and anything the sender should
 * simply retry later (disabled source, store down) is 503 with Retry-After rather than a 4xx.
 */
export const OUTCOME_STATUS = {
  accepted: 202,
  duplicate: 200,
  stale: 200,
  quarantined: 202,
  filtered: 202,
  test_passed: 200,
  test_failed: 422,
  malformed: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  request_timeout: 408,
  unauthorized: 401,
  unknown_source: 404,
  source_disabled: 503,
  source_limit_exceeded: 503,
  tenant_budget_exhausted: 429,
  store_unavailable: 503,
  internal_error: 500,
} as const;

export type OutcomeCode = keyof typeof OUTCOME_STATUS;

export interface EventSummary {
  id: string;
  position: number;
  state: EventState;
  reasons: QuarantineReason[];
  incidentId?: string;
}

export interface IncidentChange {
  incidentId: string;
  version: number;
  change: 'created' | 'updated';
}

export interface IntakeOutcome {
  code: OutcomeCode;
  status: number;
  /** One readable sentence for the sender and the logs; never contains a secret. */
  reason: string;
  /** Extra response headers (e.g. Retry-After). */
  headers: Record<string, string>;
  receiptId?: string;
  events: EventSummary[];
  /** Incidents this request created or changed (for hosts to route and deliver). */
  incidents: IncidentChange[];
  /** Whether anything was written to the store. */
  stored: boolean;
}

/** The JSON body sent back to the sender. */
export function responseBody(outcome: IntakeOutcome): Record<string, unknown> {
  return {
    outcome: outcome.code,
    reason: outcome.reason,
    ...(outcome.receiptId ? { receiptId: outcome.receiptId } : {}),
    ...(outcome.events.length ? { events: outcome.events.map(({ id, state, reasons }) => ({ id, state, ...(reasons?.length ? { reasons } : {}) })) } : {}),
  };
}

export function outcome(code: OutcomeCode, reason: string, extra: Partial<IntakeOutcome> = {}): IntakeOutcome {
  return { code, status: OUTCOME_STATUS[code], reason, headers: {}, events: [], incidents: [], stored: false, ...extra };
}
