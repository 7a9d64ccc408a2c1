import type { Store } from '../store/store';
import { DEFAULT_RETENTION_DAYS, startScheduledCleanup, type RetentionLog, type ScheduledCleanup } from './scheduled-cleanup';

/**
 * For tests only: milliseconds before the first retention check and between checks (default one minute, then
 * hourly). The run itself still happens once a UTC day per store.
 */
export const RETENTION_CHECK_ENV = 'INCIDENT_INTAKE_RETENTION_CHECK_MS';

/** A host's store-config retention in days: empty means the default, 0 turns the scheduled cleanup off. */
export function retentionDays(setting: string | number | undefined): number {
  const text = String(setting ?? '').trim();
  if (text === '') return DEFAULT_RETENTION_DAYS;
  if (!/^\d{1,5}$/.test(text)) throw new Error(`retention must be a whole number of days (0 turns it off), not "${text}"`);
  return Number(text);
}

function checkIntervalFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env[RETENTION_CHECK_ENV];
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Starts a host's daily retention cleanup of a store, or nothing when its retention is 0. */
export function startStoreRetention(
  store: () => Promise<Store>,
  days: number,
  log: RetentionLog,
  env: NodeJS.ProcessEnv = process.env,
): ScheduledCleanup | undefined {
  if (days === 0) return undefined;
  const interval = checkIntervalFromEnv(env);
  return startScheduledCleanup({ store, olderThanDays: days, log, ...(interval !== undefined && { firstCheckAfterMs: interval, checkEveryMs: interval }) });
}
