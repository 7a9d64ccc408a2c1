import type { ResponseSummary } from './response-summary';

/** `delivered` and `dead_letter` are final; `retry_scheduled` says when the next attempt is due. */
export type DeliveryStatus = 'delivered' | 'retry_scheduled' | 'dead_letter';

/**
 * What the host flow receives after every attempt, so builders can route it downstream (log, notify, branch).
 * Redacted: it never carries a destination secret.
 */
export interface DeliveryResult {
  status: DeliveryStatus;
  final: boolean;
  deliveryId: string;
  tenant: string;
  destinationId: string;
  destinationKind: string;
  incidentId: string;
  eventVersion: number;
  eventKind: string;
  idempotencyKey: string;
  /** Attempt number within the current retry budget (a replay starts again at 1). */
  attempt: number;
  maxAttempts: number;
  at: number;
  durationMs: number;
  httpStatus: number | null;
  /** `success`, `retry` or `terminal`: what the answer meant, before the retry budget was applied. */
  outcome: 'success' | 'retry' | 'terminal';
  reason: string;
  nextAttemptAt: number | null;
  remoteId: string | null;
  response: ResponseSummary | null;
  error: string | null;
  /** The receiver answered 410 Gone and the destination has been disabled. */
  destinationDisabled: boolean;
}
