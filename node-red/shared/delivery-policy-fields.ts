import { pacingPolicy, type PacingFields } from '../../core/delivery/pacing-fields';

/** The retry, pacing and ordering fields the delivery nodes share, as the editor stores them. */
export interface DeliveryPolicyFields extends PacingFields {
  maxAttempts?: string | number;
  timeoutSeconds?: string | number;
  /** Comma-separated seconds between attempts, e.g. `60, 300, 900, 3600, 3600` (empty: that default). */
  retrySchedule?: string;
}

export function policyFrom(fields: DeliveryPolicyFields): Record<string, unknown> {
  const schedule = (fields.retrySchedule ?? '').split(',').map((part) => part.trim()).filter(Boolean).map(Number);
  if (schedule.some((seconds) => !Number.isFinite(seconds) || seconds < 0)) throw new Error('retry schedule must be comma-separated seconds');
  return {
    ...(fields.maxAttempts ? { maxAttempts: Number(fields.maxAttempts) } : {}),
    ...(fields.timeoutSeconds ? { timeoutMs: Math.round(Number(fields.timeoutSeconds) * 1000) } : {}),
    ...(schedule.length ? { scheduleMs: schedule.map((seconds) => Math.round(seconds * 1000)) } : {}),
    ...pacingPolicy(fields),
  };
}
