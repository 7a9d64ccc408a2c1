import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock';
import { systemTimer, type Timer } from '../retention/scheduled-cleanup';
import type { Store } from '../store/store';
import { startDeadlineScanner, type DeadlineScanner, type DeadlineScannerOptions } from './deadline-scanner';
import type { LifecycleEvent, LifecycleEventKind } from './lifecycle-event';

export const DEFAULT_FEED_POLL_MS = 1_000;
/** How long a claimed event stays with its consumer before another may take it (a process that died mid-send). */
export const DEFAULT_FEED_LEASE_MS = 60_000;
const DEFAULT_BATCH = 50;

export interface FeedDelivery {
  event: LifecycleEvent;
  /** 1 on the first claim; more when an earlier claim was never acknowledged (a crash, a failed send). */
  attempt: number;
}

export interface EventFeedOptions {
  store: () => Promise<Store>;
  tenant: string;
  /**
   * The subscription: each consumer receives every event (of its kinds) written after it first subscribed, once
   * acknowledged; processes sharing a consumer name share its events (each goes to one of them).
   */
  consumer: string;
  /** Only these kinds; all when empty or absent. */
  kinds?: readonly LifecycleEventKind[];
  /** Hands a batch to the host (in order). Resolving acknowledges it; throwing gives it back for a later poll. */
  deliver: (batch: FeedDelivery[]) => void | Promise<void>;
  pollEveryMs?: number;
  leaseMs?: number;
  batchSize?: number;
  owner?: string;
  clock?: Clock;
  timer?: Timer;
  onError?: (error: unknown) => void;
  /** Runs the tenant's deadline scanner beside the feed (see deadline-scanner.ts); off when false. */
  scanner?: Pick<DeadlineScannerOptions, 'leadsMs' | 'deadlineOptions' | 'everyMs' | 'firstScanAfterMs'> | false;
}

export interface EventFeed {
  /** Claims, delivers and acknowledges what is waiting now; the number delivered. Never throws. */
  pollNow(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A host's consumer of the lifecycle event outbox: polls, leases a batch, hands it over, acknowledges it after.
 * At least once: a process that dies between handing over and acknowledging hands the batch over again after
 * the lease (each event keeps its id, for the receiver's idempotency).
 */
export function startEventFeed(options: EventFeedOptions): EventFeed {
  const clock = options.clock ?? systemClock;
  const timer = options.timer ?? systemTimer;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? DEFAULT_FEED_LEASE_MS;
  const kinds = options.kinds ?? [];
  let afterSeq: number | undefined;
  let stopped = false;
  // A poll or scan in flight when the feed stops fails as its host closes the store: that is no error to report.
  const onError = (error: unknown) => {
    if (!stopped) options.onError?.(error);
  };
  let handle: unknown;
  let polling: Promise<number> | undefined;
  let again = false;

  const pollOnce = async (): Promise<number> => {
    const store = await options.store();
    const now = clock.now();
    afterSeq ??= await store.transaction((r) => r.lifecycleEvents.subscribe(options.tenant, options.consumer, now));
    const query = { tenant: options.tenant, consumer: options.consumer, owner, kinds, now, leaseExpiresAt: now + leaseMs, limit: options.batchSize ?? DEFAULT_BATCH };
    const claimed = await store.transaction((r) => r.lifecycleEvents.claim(query, afterSeq!));
    if (claimed.length === 0) return 0;
    const seqs = claimed.map((entry) => entry.seq);
    try {
      await options.deliver(claimed.map((entry) => ({ event: entry.event, attempt: entry.attempts })));
    } catch (error) {
      await store.transaction((r) => r.lifecycleEvents.release(options.tenant, options.consumer, owner, seqs));
      throw error;
    }
    await store.transaction((r) => r.lifecycleEvents.acknowledge(options.tenant, options.consumer, owner, seqs, clock.now()));
    return claimed.length;
  };

  const pollNow = (): Promise<number> => {
    if (polling) {
      again = true;
      return polling;
    }
    polling = pollOnce()
      .catch((error: unknown) => {
        onError(error);
        return 0;
      })
      .finally(() => (polling = undefined));
    return polling;
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    timer.clear(handle);
    handle = timer.set(() => {
      void pollNow().then((count) => {
        const more = count > 0 || again;
        again = false;
        schedule(more ? 0 : (options.pollEveryMs ?? DEFAULT_FEED_POLL_MS));
      });
    }, ms);
  };

  const scanner: DeadlineScanner | undefined =
    options.scanner === false
      ? undefined
      : startDeadlineScanner({ ...options.scanner, store: options.store, tenant: options.tenant, clock, timer, onError, onWritten: () => schedule(0) });
  schedule(0);

  return {
    pollNow,
    async stop() {
      stopped = true;
      timer.clear(handle);
      await scanner?.stop();
      await polling;
    },
  };
}
