import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs, scheduledDelayMs } from '../../core/delivery';
import { nextStep } from '../../core/delivery/next-step';

const NOW = Date.parse('2024-06-10T08:45:18.000Z');

describe('retry policy', () => {
  it('defaults to 6 attempts: 1 m, 5 m, 15 m, 1 h, 1 h between them', () => {
    const middle = () => 0.5;
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(6);
    expect([1, 2, 3, 4, 5].map((attempts) => scheduledDelayMs(DEFAULT_RETRY_POLICY, attempts, middle))).toEqual([60_000, 300_000, 900_000, 3_600_000, 3_600_000]);
    expect(scheduledDelayMs(DEFAULT_RETRY_POLICY, 9, middle)).toBe(3_600_000);
  });

  it('spreads each delay by at most ±jitter, driven by the injected random source', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, jitter: 0.2 };
    expect(scheduledDelayMs(policy, 1, () => 0)).toBe(48_000);
    expect(scheduledDelayMs(policy, 1, () => 0.999999)).toBe(72_000);
    expect(scheduledDelayMs(policy, 2, () => 0.25)).toBe(270_000);
  });

  it('parses Retry-After as delay-seconds or an HTTP date (GMT or incident.io’s UTC)', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 1.5 ', NOW)).toBe(1_500);
    expect(parseRetryAfter('Mon, 10 Jun 2024 08:46:18 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Mon, 10 Jun 2024 08:46:18 UTC', NOW)).toBe(60_000);
    expect(parseRetryAfter('Mon, 10 Jun 2024 08:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter(30, NOW)).toBe(30_000);
    for (const junk of ['', 'soon', '-5', '12abc', undefined, null]) expect(parseRetryAfter(junk, NOW)).toBeUndefined();
  });

  it('lets Retry-After win over the schedule, capped', () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 1, 2_000, Math.random)).toBe(2_000);
    expect(retryDelayMs({ ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 10_000 }, 1, 99_000, Math.random)).toBe(10_000);
  });

  it('schedules retries while the budget lasts, then dead-letters', () => {
    const retry = { outcome: 'retry' as const, reason: 'http_503' };
    const middle = () => 0.5;
    expect(nextStep(retry, 1, DEFAULT_RETRY_POLICY, NOW, middle)).toEqual({ state: 'scheduled', nextAttemptAt: NOW + 60_000 });
    expect(nextStep(retry, 5, DEFAULT_RETRY_POLICY, NOW, middle)).toEqual({ state: 'scheduled', nextAttemptAt: NOW + 3_600_000 });
    expect(nextStep(retry, 6, DEFAULT_RETRY_POLICY, NOW, middle)).toEqual({ state: 'dead_letter' });
    expect(nextStep({ outcome: 'terminal', reason: 'http_400' }, 1, DEFAULT_RETRY_POLICY, NOW, middle)).toEqual({ state: 'dead_letter' });
    expect(nextStep({ outcome: 'success', reason: 'http_200' }, 6, DEFAULT_RETRY_POLICY, NOW, middle)).toEqual({ state: 'delivered' });
  });
});
