import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DRIFT_MONITOR = join(__dirname, 'drift-monitor.cjs');

/** How long the monitor's windows are; a stall shows up at most this much after it ends. */
export const DRIFT_WINDOW_MS = 50;

/** Environment that makes a Node.js host process record its own event-loop delay into `file`. */
export function driftMonitorEnv(file: string): Record<string, string> {
  const inherited = process.env.NODE_OPTIONS ?? '';
  return { NODE_OPTIONS: `${inherited} --require ${DRIFT_MONITOR}`.trim(), HARDENING_DRIFT_FILE: file };
}

export interface DriftWindow {
  at: number;
  /** Worst event-loop delay in the window, wall clock. */
  delayMs: number;
  /** CPU time the host's main thread used in the window. */
  cpuMs: number;
  /** Time the process's threads were runnable but had no core (NaN where the kernel does not report it). */
  runQueueWaitMs: number;
  pid: number;
  /** Longest garbage collection that ended in the window. */
  gcMs: number;
}

/**
 * How long the host blocked its own loop: the delay less the time its threads spent waiting for a core. On a
 * shared two-core machine a process can wait for a core for a long time (and its main thread for GC helpers
 * that wait for one); that is not a stall the host caused, whereas computing or a blocking system call (a
 * synchronous fsync) is. Without schedstat, the main thread's CPU time bounds it instead.
 */
export const stallOf = (window: DriftWindow): number =>
  Number.isNaN(window.runQueueWaitMs) ? Math.min(window.delayMs, window.cpuMs) : Math.max(0, window.delayMs - window.runQueueWaitMs);

export function readDrift(file: string, pid?: number): DriftWindow[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [at, delayMs, cpuMs, runQueueWaitMs, , owner, gcMs] = line.split(' ').map(Number);
      return { at: at!, delayMs: delayMs!, cpuMs: cpuMs!, runQueueWaitMs: runQueueWaitMs!, pid: owner!, gcMs: gcMs ?? 0 };
    })
    .filter((window) => pid === undefined || window.pid === pid);
}

export interface DriftSummary {
  /** Worst stall the host caused itself (see {@link stallOf}). */
  stallMs: number;
  /** Worst wall-clock delay, whatever its cause. */
  delayMs: number;
  /** Longest garbage collection. */
  gcMs: number;
}

/**
 * The windows that ended between `from` and `to` (plus two windows, since a stall is only written down once
 * the loop is free again). Undefined when the monitor wrote nothing in that time: the loop never came back.
 */
export function driftBetween(file: string, from: number, to: number, pid?: number): DriftSummary | undefined {
  const windows = readDrift(file, pid).filter((window) => window.at >= from && window.at <= to + 2 * DRIFT_WINDOW_MS);
  if (windows.length === 0) return undefined;
  return { stallMs: Math.max(...windows.map(stallOf)), delayMs: Math.max(...windows.map((window) => window.delayMs)), gcMs: Math.max(...windows.map((window) => window.gcMs)) };
}

/** Waits until the monitor has written a window that ended after `time`, so that window covers it. */
export async function driftFlushedAfter(file: string, time: number, pid?: number, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (readDrift(file, pid).some((window) => window.at > time + DRIFT_WINDOW_MS)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}
