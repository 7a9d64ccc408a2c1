import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock';
import { deadlinesOf } from '../incidents/incident-queries';
import type { DeadlineOptions } from '../regulatory/deadlines';
import { systemTimer, type Timer } from '../retention/scheduled-cleanup';
import type { Store } from '../store/store';
import { DEFAULT_ALERT_LEADS_MS, dueAlerts, leadText } from './deadline-alerts';
import type { LifecycleEvent } from './lifecycle-event';
import { recordLifecycleEventIn } from './record-lifecycle-event';

/** How often a host looks for deadline alerts that are due. */
export const DEFAULT_SCAN_EVERY_MS = 60_000;

const PAGE = 200;

export interface DeadlineScanOptions {
  tenant: string;
  leadsMs?: readonly number[];
  deadlineOptions?: DeadlineOptions;
}

/**
 * Writes every deadline alert due at `now` for the tenant's classified incidents, each in the transaction that
 * reads its incident. An alert already written (by this or another process, before a restart) is not written
 * again: its key is unique in the store. Returns the alerts written now.
 */
export async function scanDeadlines(store: Store, options: DeadlineScanOptions, now: number): Promise<LifecycleEvent[]> {
  const leads = options.leadsMs ?? DEFAULT_ALERT_LEADS_MS;
  const written: LifecycleEvent[] = [];
  let afterId = '';
  for (;;) {
    const page = await store.transaction((r) => r.lifecycleEvents.regulatedIncidents(options.tenant, afterId, PAGE));
    for (const incident of page) {
      const alerts = dueAlerts(incident.id, deadlinesOf(incident, options.deadlineOptions), leads, now);
      if (alerts.length === 0) continue;
      await store.transaction(async (r) => {
        for (const alert of alerts) {
          const due = Date.parse(alert.deadline.due);
          const details = {
            regime: alert.regime,
            report: alert.deadline.report,
            due: alert.deadline.due,
            basis: alert.deadline.basis,
            ...(alert.leadMs !== undefined && { lead: leadText(alert.leadMs), leadMs: alert.leadMs }),
            ...(alert.kind === 'deadline.approaching' ? { dueInMs: due - now } : { overdueMs: now - due }),
          };
          const event = await recordLifecycleEventIn(r, { kind: alert.kind, incident, actor: null, details, key: alert.key }, now);
          if (event) written.push(event);
        }
      });
    }
    if (page.length < PAGE) return written;
    afterId = page.at(-1)!.id;
  }
}

/** The lease row's job name: one scan per slot and tenant across every process sharing the store. */
export const deadlineScanJob = (tenant: string) => `deadline-alerts:${tenant}`;

export interface DeadlineScannerOptions extends DeadlineScanOptions {
  /** Asked at each scan, so a store that was down at start-up is picked up later. */
  store: () => Promise<Store>;
  everyMs?: number;
  /** Default: the first scan right after start. */
  firstScanAfterMs?: number;
  holder?: string;
  clock?: Clock;
  timer?: Timer;
  /** Store errors; the scanner keeps going and tries again at the next scan. */
  onError?: (error: unknown) => void;
  /** The alerts a scan wrote, e.g. to wake the host's event feed. */
  onWritten?: (events: LifecycleEvent[]) => void;
}

export type DeadlineScanOutcome = { scanned: true; written: LifecycleEvent[] } | { scanned: false; reason: 'claimed-elsewhere' | 'failed' | 'stopped' };

export interface DeadlineScanner {
  /** Scans now unless another process took this slot. Never throws. */
  runDue(): Promise<DeadlineScanOutcome>;
  stop(): Promise<void>;
}

/**
 * Scans for due deadline alerts every `everyMs`, off the request path. Processes sharing one store each keep a
 * timer; per time slot only the first to claim the lease row (migration 010) scans, and even two scans at once
 * could not repeat an alert (unique keys), so the lease only saves work.
 */
export function startDeadlineScanner(options: DeadlineScannerOptions): DeadlineScanner {
  const clock = options.clock ?? systemClock;
  const timer = options.timer ?? systemTimer;
  const everyMs = Math.max(1_000, options.everyMs ?? DEFAULT_SCAN_EVERY_MS);
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let stopped = false;
  let handle: unknown;
  let running: Promise<DeadlineScanOutcome> | undefined;

  const runOnce = async (): Promise<DeadlineScanOutcome> => {
    if (stopped) return { scanned: false, reason: 'stopped' };
    const now = clock.now();
    try {
      const store = await options.store();
      const slot = new Date(Math.floor(now / everyMs) * everyMs).toISOString();
      if (!(await store.transaction((r) => r.scheduledJobs.claimDay(deadlineScanJob(options.tenant), slot, holder, now)))) return { scanned: false, reason: 'claimed-elsewhere' };
      const written = await scanDeadlines(store, options, now);
      if (written.length > 0) options.onWritten?.(written);
      return { scanned: true, written };
    } catch (error) {
      options.onError?.(error);
      return { scanned: false, reason: 'failed' };
    }
  };

  const runDue = () => {
    if (!running) running = runOnce().finally(() => (running = undefined));
    return running;
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    handle = timer.set(() => void runDue().then(() => schedule(everyMs)), ms);
  };
  schedule(options.firstScanAfterMs ?? 0);

  return {
    runDue,
    async stop() {
      stopped = true;
      timer.clear(handle);
      await running;
    },
  };
}
