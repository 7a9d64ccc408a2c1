import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { EventState } from '../store/records';
import type { Store } from '../store/store';

/**
 * How long replay keys of schemes without a signed timestamp (PagerDuty, X-Hub-Signature(-256), token, Basic,
 * body HMAC) are kept: such a signature verifies for as long as its secret is live, so the key must outlive
 * every body retention removes. Five years; rotate the sender's secret within that time.
 */
export const DEFAULT_REPLAY_KEY_RETENTION_DAYS = 1825;

/**
 * How long short-lived replay keys are kept: those of timestamped schemes (Standard Webhooks, Stripe-style,
 * Grafana or HMAC with a timestamp header — past the tolerance, at most one day, the timestamp check refuses a
 * replay anyway) and delivery ids (PagerDuty retries for 48 h, GitHub redelivers up to 3 days back — 7 on
 * Enterprise Server; an old capture still matches its content key). A week covers both.
 */
export const DEFAULT_SHORT_LIVED_REPLAY_KEY_RETENTION_DAYS = 7;

/** The shortest short-lived-key retention: longer than the largest tolerance a source may set (86,400 s). */
export const MIN_SHORT_LIVED_REPLAY_KEY_RETENTION_DAYS = 2;

/** States whose events may be removed once old, when they never became part of an incident. */
export const DISPOSABLE_STATES: readonly EventState[] = ['rejected', 'duplicate', 'quarantined', 'filtered'];

export interface CleanupOptions {
  tenant: string;
  /** Keep anything younger than this many days. */
  olderThanDays: number;
  /**
   * Keep replay keys of schemes without a signed timestamp younger than this many days (default
   * {@link DEFAULT_REPLAY_KEY_RETENTION_DAYS}, and never less than `olderThanDays`).
   */
  replayKeyRetentionDays?: number;
  /** Keep short-lived replay keys (timestamped schemes, delivery ids) younger than this many days (default 7, at least 2). */
  shortLivedReplayKeyRetentionDays?: number;
  /** Rows removed per transaction, so a big cleanup never holds the write lock for long. */
  batchSize?: number;
  onProgress?: (removed: { events: number; receipts: number; replayKeys: number }) => void;
  /** Awaited after each batch, e.g. to let the host's other work run between them. */
  betweenBatches?: () => Promise<void>;
}

export interface CleanupResult {
  events: number;
  receipts: number;
  counters: number;
  replayKeys: number;
}

/**
 * Removes old rejected, duplicate, quarantined and filtered events that have no incident, then the request
 * bodies nothing refers to any more, then replay keys past their own (much longer) retention. Promoted
 * events, incidents, their provenance and the audit trail stay. Callable on a schedule: each step works in
 * short batches and a second run right after removes nothing.
 */
export async function cleanupRetention(store: Store, options: CleanupOptions, clock: Clock = systemClock): Promise<CleanupResult> {
  if (!(options.olderThanDays >= 0)) throw new RangeError('olderThanDays must be 0 or more');
  const keyDays = replayKeyDays(options);
  const before = clock.now() - options.olderThanDays * 86_400_000;
  const batchSize = options.batchSize ?? 500;
  const result: CleanupResult = { events: 0, receipts: 0, counters: 0, replayKeys: 0 };
  const progress = () => options.onProgress?.({ events: result.events, receipts: result.receipts, replayKeys: result.replayKeys });
  for (;;) {
    const removed = await store.transaction((r) => r.events.deleteUnattachedBefore(options.tenant, DISPOSABLE_STATES, before, batchSize));
    result.events += removed;
    progress();
    if (removed < batchSize) break;
    await options.betweenBatches?.();
  }
  result.receipts = await store.transaction((r) => r.receipts.deleteOrphansBefore(options.tenant, before));
  // Counter windows (hours, days, quarantine windows) older than a month can no longer be consulted.
  result.counters = await store.transaction((r) => r.counters.deleteWindowsBefore(Math.min(before, clock.now() - 31 * 86_400_000)));
  const expiry = {
    longLivedBefore: clock.now() - keyDays.longLived * 86_400_000,
    shortLivedBefore: clock.now() - keyDays.shortLived * 86_400_000,
    limit: batchSize,
  };
  for (;;) {
    const removed = await store.transaction((r) => r.replayKeys.deleteExpired(options.tenant, expiry));
    result.replayKeys += removed;
    if (removed < batchSize) break;
    progress();
    await options.betweenBatches?.();
  }
  progress();
  return result;
}

/** The replay-key retentions in days; a key of a scheme without a timestamp never goes before its body would. */
function replayKeyDays(options: CleanupOptions): { longLived: number; shortLived: number } {
  const longLived = options.replayKeyRetentionDays ?? Math.max(DEFAULT_REPLAY_KEY_RETENTION_DAYS, options.olderThanDays);
  if (!(longLived >= options.olderThanDays)) {
    throw new RangeError('replayKeyRetentionDays must be at least olderThanDays: a signature without a timestamp can be replayed as long as its secret is live');
  }
  const shortLived = options.shortLivedReplayKeyRetentionDays ?? DEFAULT_SHORT_LIVED_REPLAY_KEY_RETENTION_DAYS;
  if (!(shortLived >= MIN_SHORT_LIVED_REPLAY_KEY_RETENTION_DAYS)) {
    throw new RangeError(`shortLivedReplayKeyRetentionDays must be at least ${MIN_SHORT_LIVED_REPLAY_KEY_RETENTION_DAYS}: longer than the largest timestamp tolerance`);
  }
  return { longLived, shortLived };
}
