import type { Classification } from './classification';
import { hasAttemptsLeft, retryDelayMs, type RandomSource, type RetryPolicy } from './retry-policy';

export type NextStep = { state: 'delivered' } | { state: 'scheduled'; nextAttemptAt: number } | { state: 'dead_letter' };

/** Success delivers; a retryable failure is scheduled while the budget lasts; everything else is a dead letter. */
export function nextStep(classification: Classification, attemptsMade: number, policy: RetryPolicy, now: number, random: RandomSource): NextStep {
  if (classification.outcome === 'success') return { state: 'delivered' };
  if (classification.outcome === 'terminal' || !hasAttemptsLeft(policy, attemptsMade)) return { state: 'dead_letter' };
  return { state: 'scheduled', nextAttemptAt: now + retryDelayMs(policy, attemptsMade, classification.retryAfterMs, random) };
}
