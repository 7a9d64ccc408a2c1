import { z } from 'zod';
import { DEFAULT_RETRY_POLICY, DEFAULT_SCHEDULE_MS, type RetryPolicy } from './retry-policy';
import type { RateLimit } from './token-bucket';

const rateLimitSchema = z.object({
  /** Tokens added per minute. Absent: the destination kind's default (none for webhooks), e.g. when only `bucket` is set. */
  perMinute: z.number().positive().optional(),
  /** Bucket size: sends allowed back to back. Defaults to 5 seconds' worth. Any minute sees at most burst + perMinute. */
  burst: z.number().int().positive().optional(),
  /**
   * Names the bucket, so that destinations naming the same one (of any tenant, in any process on the store)
   * share its pace: set it to what the receiver limits. Default: the alert source for incident.io alert events,
   * else the destination itself.
   */
  bucket: z.string().trim().min(1).max(200).optional(),
}).refine((rate) => rate.burst === undefined || rate.perMinute !== undefined, 'burst needs perMinute');

/** How one destination is retried, paced and ordered. Every field has a default. */
export const deliveryPolicySchema = z.object({
  timeoutMs: z.number().int().min(50).max(300_000).default(10_000),
  maxAttempts: z.number().int().min(1).max(100).default(DEFAULT_RETRY_POLICY.maxAttempts),
  scheduleMs: z
    .array(z.number().int().min(0))
    .min(1)
    .default(() => [...DEFAULT_SCHEDULE_MS]),
  jitter: z.number().min(0).max(1).default(DEFAULT_RETRY_POLICY.jitter),
  maxRetryAfterMs: z.number().int().min(0).default(DEFAULT_RETRY_POLICY.maxRetryAfterMs),
  /** `per-incident`: a later version of an incident waits until the earlier one is delivered or dead-lettered. */
  ordering: z.enum(['none', 'per-incident']).optional(),
  /** Token bucket; `null` turns it off. Absent means the destination kind's default. */
  rateLimit: rateLimitSchema.nullable().optional(),
});

export type DeliveryPolicyInput = z.input<typeof deliveryPolicySchema>;
export type DeliveryPolicyConfig = z.output<typeof deliveryPolicySchema>;

/** The policy with the destination kind's defaults filled in. */
export interface EffectivePolicy {
  timeoutMs: number;
  retry: RetryPolicy;
  perIncidentOrder: boolean;
  rateLimit: RateLimit | null;
  /** The shared bucket `rateLimit` draws from. */
  rateBucket: string;
}

export interface KindDefaults {
  ordering: 'none' | 'per-incident';
  rateLimit: RateLimit | null;
  /** What the remote limits, when it is more than this one destination (an incident.io alert source). */
  rateBucket: string;
}

export function effectivePolicy(policy: DeliveryPolicyConfig, defaults: KindDefaults): EffectivePolicy {
  return {
    timeoutMs: policy.timeoutMs,
    retry: { maxAttempts: policy.maxAttempts, scheduleMs: policy.scheduleMs, jitter: policy.jitter, maxRetryAfterMs: policy.maxRetryAfterMs },
    perIncidentOrder: (policy.ordering ?? defaults.ordering) === 'per-incident',
    rateLimit: rateLimitOf(policy.rateLimit, defaults.rateLimit),
    rateBucket: policy.rateLimit?.bucket === undefined ? defaults.rateBucket : `key:${policy.rateLimit.bucket}`,
  };
}

function rateLimitOf(configured: DeliveryPolicyConfig['rateLimit'], fallback: RateLimit | null): RateLimit | null {
  if (configured === null) return null;
  if (configured?.perMinute === undefined) return fallback;
  return { perMinute: configured.perMinute, burst: configured.burst ?? Math.max(1, Math.round(configured.perMinute / 12)) };
}
