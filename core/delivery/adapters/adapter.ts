import type { DeliveryRecord } from '../../store/delivery-records';
import type { Classification } from '../classification';
import type { DeliveryEvent } from '../delivery-event';
import type { ResponseSummary } from '../response-summary';

/** One claimed delivery, ready to send. */
export interface DeliveryJob {
  delivery: DeliveryRecord;
  event: DeliveryEvent;
  /** Ids the destination gave back earlier for this incident, e.g. `incident_io.incident_id`. */
  remoteRefs: Readonly<Record<string, string>>;
}

/** How one attempt went, already redacted. */
export interface AttemptReport {
  classification: Classification;
  httpStatus: number | null;
  response: ResponseSummary | null;
  /** Why there was no response (timeout, connection reset, …), redacted. */
  error?: string;
  /** The id the receiver gave the delivered thing (incident.io incident id, alert deduplication key). */
  remoteId?: string;
  /** Ids to remember for later deliveries of the same incident to the same destination. */
  remember?: Record<string, string>;
}

/** Turns a delivery into HTTP for one kind of destination. */
export interface DeliveryAdapter {
  /** False when the adapter never reads `job.remoteRefs`, so claiming need not look them up. Default true. */
  readonly readsRemoteRefs?: boolean;
  deliver(job: DeliveryJob): Promise<AttemptReport>;
}
