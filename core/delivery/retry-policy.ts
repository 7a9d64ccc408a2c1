/** 1 m, 5 m, 15 m, 1 h, 1 h: the delays before the 2nd…6th attempt. */
export const DEFAULT_SCHEDULE_MS: readonly number[] = [60_000, 300_000, 900_000, 3_600_000, 3_600_000];

/** When to try again after a retryable failure, and when to give up. */
export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** Delay before attempt n+1 is `scheduleMs[n-1]`; past the end the last entry repeats. */
  scheduleMs: readonly number[];
  /** Each delay is spread uniformly over ±`jitter` of itself, so failed deliveries do not retry in lockstep. */
  jitter: number;
  /** A receiver's Retry-After is honoured up to this long. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: DEFAULT_SCHEDULE_MS.length + 1,
  scheduleMs: DEFAULT_SCHEDULE_MS,
  jitter: 0.1,
  maxRetryAfterMs: 6 * 3_600_000,
};

/** A number in [0, 1); injectable so that tests get exact schedules. */
export type RandomSource = () => number;

export function hasAttemptsLeft(policy: RetryPolicy, attemptsMade: number): boolean {
  return attemptsMade < policy.maxAttempts;
}

/** The jittered schedule delay after `attemptsMade` attempts failed. */
export function scheduledDelayMs(policy: RetryPolicy, attemptsMade: number, random: RandomSource): number {
  const schedule = policy.scheduleMs;
  const base = schedule[Math.min(Math.max(attemptsMade, 1), schedule.length) - 1] ?? 0;
  const spread = base * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base + spread));
}

/** The receiver's Retry-After wins over the schedule (capped); without one the schedule applies. */
export function retryDelayMs(policy: RetryPolicy, attemptsMade: number, retryAfterMs: number | undefined, random: RandomSource): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs);
  return scheduledDelayMs(policy, attemptsMade, random);
}

/**
 * A Retry-After value as a delay from `now`: delay-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`; incident.io writes `UTC`). Unparseable values count as absent.
 */
export function parseRetryAfter(value: string | number | undefined | null, now: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
