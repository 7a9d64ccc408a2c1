/** Where a delivery stands. `in_flight` carries a lease; when the lease expires the delivery is due again. */
export type DeliveryState = 'scheduled' | 'in_flight' | 'delivered' | 'dead_letter' | 'cancelled';

/** What one attempt ended as: sent (`success`), try again later (`retry`), or never again (`terminal`). */
export type AttemptOutcome = 'success' | 'retry' | 'terminal';

/** The non-secret state of one destination; its configuration (URL, secrets) stays with the host, or is sealed (see {@link SealedDestinationRecord}). */
export interface DestinationRecord {
  tenant: string;
  id: string;
  kind: string;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: number | null;
  /** No delivery to this destination is claimed before this time (receiver asked us to back off). */
  pausedUntil: number | null;
  lastResult: Record<string, unknown> | null;
  lastResultAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A destination config sealed by the host (ciphertext only), for workers that hold the key. */
export interface SealedDestinationRecord {
  tenant: string;
  id: string;
  /** Names the key that sealed `box`. */
  keyId: string;
  box: string;
  sealedAt: number;
}

/** Token bucket state kept in the database so that every worker draws from the same bucket. */
export interface RateState {
  tokens: number;
  refilledAt: number;
}

export interface DeliveryRecord {
  id: string;
  tenant: string;
  destinationId: string;
  incidentId: string;
  eventVersion: number;
  eventKind: string;
  /** The same for every attempt and every replay of this delivery; receivers dedupe on it. */
  idempotencyKey: string;
  payload: Record<string, unknown>;
  state: DeliveryState;
  /** Attempts since the delivery was enqueued or last replayed; the retry budget counts these. */
  attempts: number;
  /** Attempts ever made; numbers the attempt records. */
  totalAttempts: number;
  replays: number;
  nextAttemptAt: number | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  remoteId: string | null;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
  deadLetteredAt: number | null;
}

export interface DeliveryAttemptRecord {
  deliveryId: string;
  number: number;
  tenant: string;
  destinationId: string;
  startedAt: number;
  durationMs: number;
  httpStatus: number | null;
  outcome: AttemptOutcome;
  /** A short machine-readable cause, e.g. `http_503`, `timeout`, `connection_reset`, `lease_expired`. */
  reason: string;
  /** Bounded and redacted: status, a few response headers, the start of the body, remote error codes. */
  summary: Record<string, unknown>;
}
