import { systemClock, type Clock } from '../clock';
import { listDeliveries } from '../delivery/delivery-views';
import { replayDeadLetters } from '../delivery/replay';
import type { DeliveryRecord } from '../store/delivery-records';
import type { DeadLetterFilter, ReplayOutcome, SkippedReplay } from '../store/repositories/delivery-repository';
import type { Store } from '../store/store';

export interface ReplayProgress {
  replayed: number;
  /** Left alone as `superseded`: a newer version of the incident was delivered, is pending, or was replayed instead. */
  skipped: number;
  /** Dead letters to go through, when known up front (a whole destination, or a list of ids). */
  total?: number;
}

export interface ReplaySummary extends ReplayProgress {
  /** Each dead letter skipped, with the newer version that made it obsolete. */
  skippedDeliveries: SkippedReplay[];
}

export interface BatchedReplay {
  tenant: string;
  destinationId: string;
  /** Only these deliveries; without them, every dead letter of the destination that matches `filter`. */
  ids?: readonly string[];
  filter?: DeadLetterFilter;
  /** Replay superseded dead letters too: an older state may then reach the receiver after a newer one. */
  force?: boolean;
  /** Deliveries replayed per transaction, so a big replay never holds the write lock for long. */
  batchSize?: number;
  onProgress?: (progress: ReplayProgress) => void;
  clock?: Clock;
}

/** The listing is capped at this many rows per query. */
const PAGE = 1000;

function matches(delivery: DeliveryRecord, filter: DeadLetterFilter): boolean {
  const at = delivery.deadLetteredAt ?? 0;
  if (filter.since !== undefined && at < filter.since) return false;
  if (filter.until !== undefined && at >= filter.until) return false;
  if (filter.errorContains !== undefined && !(delivery.lastError ?? '').toLowerCase().includes(filter.errorContains.toLowerCase())) return false;
  return filter.lastStatus === undefined || delivery.lastStatus === filter.lastStatus;
}

/** By incident, newest version first: a batch never replays an older version before the newer one is seen. */
function newestFirst(a: { incidentId: string; eventVersion: number }, b: { incidentId: string; eventVersion: number }): number {
  if (a.incidentId !== b.incidentId) return a.incidentId < b.incidentId ? -1 : 1;
  return b.eventVersion - a.eventVersion;
}

class Tally {
  readonly summary: ReplaySummary;

  constructor(
    total: number | undefined,
    private readonly onProgress: BatchedReplay['onProgress'],
  ) {
    this.summary = { replayed: 0, skipped: 0, ...(total !== undefined && { total }), skippedDeliveries: [] };
  }

  add(outcome: ReplayOutcome): void {
    this.summary.replayed += outcome.replayed.length;
    this.summary.skipped += outcome.skipped.length;
    this.summary.skippedDeliveries.push(...outcome.skipped);
    const { skippedDeliveries: _list, ...progress } = this.summary;
    this.onProgress?.(progress);
  }
}

/**
 * Replays dead letters in batches, reporting progress after each: the same effect as one `replayDeadLetters`
 * call (due now, fresh retry budget, same idempotency key, superseded versions skipped unless `force`), in
 * many short transactions.
 */
export async function replayInBatches(store: Store, options: BatchedReplay): Promise<ReplaySummary> {
  const batchSize = options.batchSize ?? 200;
  const replayBatch = (ids: readonly string[]) =>
    replayDeadLetters(store, { tenant: options.tenant, destinationId: options.destinationId, ids, filter: options.filter, force: options.force }, { clock: options.clock ?? systemClock });
  if (options.ids) return replayIds(store, options, [...new Set(options.ids)], batchSize, replayBatch);
  return replayMatching(store, options, batchSize, replayBatch);
}

async function replayIds(store: Store, options: BatchedReplay, ids: string[], batchSize: number, replayBatch: (ids: readonly string[]) => Promise<ReplayOutcome>): Promise<ReplaySummary> {
  const tally = new Tally(ids.length, options.onProgress);
  const ordered = (await store.transaction((r) => r.deliveries.deadLetterVersions(options.tenant, options.destinationId, { ids, filter: options.filter }))).map((row) => row.id);
  for (let start = 0; start < ordered.length; start += batchSize) tally.add(await replayBatch(ordered.slice(start, start + batchSize)));
  if (ordered.length === 0) tally.add({ replayed: [], skipped: [] });
  return tally.summary;
}

async function replayMatching(store: Store, options: BatchedReplay, batchSize: number, replayBatch: (ids: readonly string[]) => Promise<ReplayOutcome>): Promise<ReplaySummary> {
  const filter = options.filter ?? {};
  const unfiltered = filter.since === undefined && filter.until === undefined && filter.lastStatus === undefined && filter.incidentId === undefined && filter.errorContains === undefined;
  const dead = (await store.transaction((r) => r.deliveries.counts(options.tenant, options.destinationId))).dead_letter;
  const tally = new Tally(unfiltered ? dead : undefined, options.onProgress);
  // Each round replays (or skips) what it lists, so the next listing starts past it; bounded in case new dead letters keep arriving.
  const seen = new Set<string>();
  for (let round = 0; round <= Math.ceil(dead / PAGE) + 1; round++) {
    const page = await listDeliveries(store, options.tenant, { destinationId: options.destinationId, incidentId: filter.incidentId, state: 'dead_letter', limit: PAGE });
    const wanted = page.filter((delivery) => !seen.has(delivery.id) && matches(delivery, filter)).sort(newestFirst).map((delivery) => delivery.id);
    for (let start = 0; start < wanted.length; start += batchSize) {
      const batch = wanted.slice(start, start + batchSize);
      for (const id of batch) seen.add(id);
      tally.add(await replayBatch(batch));
    }
    if (page.length < PAGE) return tally.summary;
    if (wanted.length === 0) break;
  }
  // A full page of dead letters the filter (or a skip) leaves behind hides the rest from the listing: let the database select them.
  const rest = await replayDeadLetters(store, { tenant: options.tenant, destinationId: options.destinationId, filter: options.filter, force: options.force }, { clock: options.clock });
  tally.add({ replayed: rest.replayed, skipped: rest.skipped.filter((entry) => !seen.has(entry.id)) });
  return tally.summary;
}
