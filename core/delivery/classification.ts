import type { AttemptOutcome } from '../store/delivery-records';

/** What an attempt's answer means for the delivery. */
export interface Classification {
  outcome: AttemptOutcome;
  /** Short and machine-readable: `http_503`, `timeout`, `connection_reset`, `aborted_by_receiver`, … */
  reason: string;
  /** The receiver said when to come back (Retry-After, or incident.io's `rate_limit.retry_after`). */
  retryAfterMs?: number;
  /** The receiver is gone for good (410): stop sending anything to it. */
  disableDestination?: boolean;
}
