import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Store } from '../store/store';
import { cleanupRetention, type CleanupResult } from './cleanup';

/** What a host's store config keeps when nobody set a retention: 30 days of rejected, duplicate, quarantined and filtered events. */
export const DEFAULT_RETENTION_DAYS = 30;

/** The lease row's job name: one retention run per day across every process sharing the store. */
export const RETENTION_JOB = 'retention-cleanup';

/** How often a host looks whether today's run is still to do (the run itself happens once a day). */
export const DEFAULT_CHECK_EVERY_MS = 60 * 60_000;

/** The first look after start-up waits this long, so the cleanup never competes with a host starting. */
export const DEFAULT_FIRST_CHECK_AFTER_MS = 60_000;

/** Rows per transaction in a scheduled run: smaller than the CLI's, since the host keeps taking requests meanwhile. */
export const SCHEDULED_BATCH_SIZE = 200;

export interface Timer {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Node's timers, unref'd: a pending cleanup never keeps a process alive. */
export const systemTimer: Timer = {
  set: (run, ms) => setTimeout(run, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RetentionLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface ScheduledCleanupOptions {
  /** The store to clean; asked again at each run, so a store that was down at start-up is picked up later. */
  store: () => Promise<Store>;
  olderThanDays: number;
  replayKeyRetentionDays?: number;
  shortLivedReplayKeyRetentionDays?: number;
  batchSize?: number;
  checkEveryMs?: number;
  firstCheckAfterMs?: number;
  /** Names this process in the lease row (default host name, pid and a random suffix). */
  holder?: string;
  log: RetentionLog;
  clock?: Clock;
  timer?: Timer;
  /** Awaited between batches; default lets the event loop run other work (I/O, timers) first. */
  betweenBatches?: () => Promise<void>;
}

export type ScheduledRunOutcome =
  | { ran: true; day: string; removed: Record<string, CleanupResult> }
  | { ran: false; day: string; reason: 'claimed-elsewhere' | 'failed' | 'stopped' };

export interface ScheduledCleanup {
  /** Runs today's cleanup now if no process claimed today yet. Never throws: a store error is logged. */
  runDue(): Promise<ScheduledRunOutcome>;
  /** Stops the timer and waits for a run under way to finish. */
  stop(): Promise<void>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The UTC day of a time, as the lease row stores it. */
export function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * Runs {@link cleanupRetention} for every tenant once a day, in small batches, in the background of a host.
 * Processes sharing one store (several Node-RED or n8n instances on a PostgreSQL) each check on a timer; the
 * first to claim the day's lease row runs, the others skip that day. A store that cannot be reached is logged
 * and tried again at the next check; a run that fails after its claim, the next day (cleanup is idempotent: a
 * later run removes what this one left).
 */
export function startScheduledCleanup(options: ScheduledCleanupOptions): ScheduledCleanup {
  if (!(options.olderThanDays >= 1)) throw new RangeError('retention days must be 1 or more');
  const clock = options.clock ?? systemClock;
  const timer = options.timer ?? systemTimer;
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let stopped = false;
  let handle: unknown;
  let running: Promise<ScheduledRunOutcome> | undefined;

  const cleanTenants = async (store: Store, day: string): Promise<ScheduledRunOutcome> => {
    const tenants = await store.transaction((r) => r.scheduledJobs.tenantsWithIntake());
    const removed: Record<string, CleanupResult> = {};
    for (const tenant of tenants) {
      if (stopped) return { ran: false, day, reason: 'stopped' };
      const result = await cleanupRetention(
        store,
        {
          tenant,
          olderThanDays: options.olderThanDays,
          replayKeyRetentionDays: options.replayKeyRetentionDays,
          shortLivedReplayKeyRetentionDays: options.shortLivedReplayKeyRetentionDays,
          batchSize: options.batchSize ?? SCHEDULED_BATCH_SIZE,
          betweenBatches: options.betweenBatches ?? yieldToEventLoop,
        },
        clock,
      );
      removed[tenant] = result;
      options.log.info(
        `retention (${day}, tenant ${tenant}, older than ${options.olderThanDays} days): removed ${result.events} event(s), ${result.receipts} request body(ies), ${result.counters} counter window(s), ${result.replayKeys} expired replay key(s)`,
      );
    }
    return { ran: true, day, removed };
  };

  const runOnce = async (): Promise<ScheduledRunOutcome> => {
    const day = utcDay(clock.now());
    if (stopped) return { ran: false, day, reason: 'stopped' };
    let claimed = false;
    try {
      const store = await options.store();
      claimed = await store.transaction((r) => r.scheduledJobs.claimDay(RETENTION_JOB, day, holder, clock.now()));
      if (!claimed) return { ran: false, day, reason: 'claimed-elsewhere' };
      return await cleanTenants(store, day);
    } catch (error) {
      // Before the claim nothing ran today, so the next check tries again; after it, the day is taken.
      const retry = claimed ? 'tried again tomorrow' : 'tried again at the next check';
      options.log.warn(`retention (${day}) failed, ${retry}: ${error instanceof Error ? error.message : String(error)}`);
      return { ran: false, day, reason: 'failed' };
    }
  };

  const runDue = (): Promise<ScheduledRunOutcome> => {
    // One run at a time in this process; a check that comes while one runs waits for it.
    if (!running) running = runOnce().finally(() => (running = undefined));
    return running;
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    handle = timer.set(() => {
      void runDue().then(() => schedule(options.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS));
    }, ms);
  };
  schedule(options.firstCheckAfterMs ?? DEFAULT_FIRST_CHECK_AFTER_MS);

  return {
    runDue,
    async stop() {
      stopped = true;
      timer.clear(handle);
      await running;
    },
  };
}
