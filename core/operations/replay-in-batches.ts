import { systemClock, type Clock } from '../clock';
import { listDeliveries } from '../delivery/delivery-views';
import { replayDeadLetters } from '../delivery/replay';
import type { DeliveryRecord } from '../store/delivery-records';
import type { DeadLetterFilter } from '../store/repositories/delivery-repository';
import type { Store } from '../store/store';

export interface ReplayProgress {
  replayed: number;
  /** Dead letters to go through, when known up front (a whole destination, or a list of ids). */
  total?: number;
}

export interface BatchedReplay {
  tenant: string;
  destinationId: string;
  /** Only these deliveries; without them, every dead letter of the destination that matches `filter`. */
  ids?: readonly string[];
  filter?: DeadLetterFilter;
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

/**
 * Replays dead letters in batches, reporting progress after each: the same effect as one `replayDeadLetters`
 * call (due now, fresh retry budget, same idempotency key), in many short transactions.
 */
export async function replayInBatches(store: Store, options: BatchedReplay): Promise<ReplayProgress> {
  const batchSize = options.batchSize ?? 200;
  const replayBatch = (ids: readonly string[]) => replayDeadLetters(store, { tenant: options.tenant, destinationId: options.destinationId, ids, filter: options.filter }, { clock: options.clock ?? systemClock });
  if (options.ids) return replayIds([...new Set(options.ids)], batchSize, replayBatch, options.onProgress);
  return replayMatching(store, options, batchSize, replayBatch);
}

async function replayIds(ids: string[], batchSize: number, replayBatch: (ids: readonly string[]) => Promise<string[]>, onProgress: BatchedReplay['onProgress']): Promise<ReplayProgress> {
  const progress: ReplayProgress = { replayed: 0, total: ids.length };
  for (let start = 0; start < ids.length; start += batchSize) {
    progress.replayed += (await replayBatch(ids.slice(start, start + batchSize))).length;
    onProgress?.({ ...progress });
  }
  return progress;
}

async function replayMatching(store: Store, options: BatchedReplay, batchSize: number, replayBatch: (ids: readonly string[]) => Promise<string[]>): Promise<ReplayProgress> {
  const filter = options.filter ?? {};
  const unfiltered = filter.since === undefined && filter.until === undefined && filter.lastStatus === undefined && filter.incidentId === undefined && filter.errorContains === undefined;
  const dead = (await store.transaction((r) => r.deliveries.counts(options.tenant, options.destinationId))).dead_letter;
  const progress: ReplayProgress = { replayed: 0, ...(unfiltered && { total: dead }) };
  // Each round replays what it lists, so the next listing starts past it; bounded in case new dead letters keep arriving.
  for (let round = 0; round <= Math.ceil(dead / PAGE) + 1; round++) {
    const page = await listDeliveries(store, options.tenant, { destinationId: options.destinationId, incidentId: filter.incidentId, state: 'dead_letter', limit: PAGE });
    const wanted = page.filter((delivery) => matches(delivery, filter)).map((delivery) => delivery.id);
    for (let start = 0; start < wanted.length; start += batchSize) {
      progress.replayed += (await replayBatch(wanted.slice(start, start + batchSize))).length;
      options.onProgress?.({ ...progress });
    }
    if (page.length < PAGE) return progress;
    if (wanted.length === 0) break;
  }
  // A full page of dead letters the filter skips hides the rest from the listing: let the database select them.
  progress.replayed += (await replayDeadLetters(store, { tenant: options.tenant, destinationId: options.destinationId, filter: options.filter }, { clock: options.clock })).length;
  options.onProgress?.({ ...progress });
  return progress;
}
