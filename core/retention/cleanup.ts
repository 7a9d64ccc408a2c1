import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { EventState } from '../store/records';
import type { Store } from '../store/store';

/** States whose events may be removed once old, when they never became part of an incident. */
export const DISPOSABLE_STATES: readonly EventState[] = ['rejected', 'duplicate', 'quarantined', 'filtered'];

export interface CleanupOptions {
  tenant: string;
  /** Keep anything younger than this many days. */
  olderThanDays: number;
  /** Rows removed per transaction, so a big cleanup never holds the write lock for long. */
  batchSize?: number;
  onProgress?: (removed: { events: number; receipts: number }) => void;
}

export interface CleanupResult {
  events: number;
  receipts: number;
  counters: number;
}

/**
 * Removes old rejected, duplicate, quarantined and filtered events that have no incident, then the request
 * bodies nothing refers to any more. Promoted events, incidents, their provenance and the audit trail stay.
 */
export async function cleanupRetention(store: Store, options: CleanupOptions, clock: Clock = systemClock): Promise<CleanupResult> {
  if (!(options.olderThanDays >= 0)) throw new RangeError('olderThanDays must be 0 or more');
  const before = clock.now() - options.olderThanDays * 86_400_000;
  const batchSize = options.batchSize ?? 500;
  const result: CleanupResult = { events: 0, receipts: 0, counters: 0 };
  for (;;) {
    const removed = await store.transaction((r) => r.events.deleteUnattachedBefore(options.tenant, DISPOSABLE_STATES, before, batchSize));
    result.events += removed;
    options.onProgress?.({ events: result.events, receipts: result.receipts });
    if (removed < batchSize) break;
  }
  result.receipts = await store.transaction((r) => r.receipts.deleteOrphansBefore(options.tenant, before));
  // Counter windows (hours, days, quarantine windows) older than a month can no longer be consulted.
  result.counters = await store.transaction((r) => r.counters.deleteWindowsBefore(Math.min(before, clock.now() - 31 * 86_400_000)));
  options.onProgress?.({ events: result.events, receipts: result.receipts });
  return result;
}
