import type { RateState } from '../store/delivery-records';

/** At most `perMinute` sends on average, with bursts of up to `burst`. */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

/** The bucket at `now`: a bucket never seen starts full; tokens accrue continuously up to `burst`. */
export function refill(state: RateState | null, limit: RateLimit, now: number): RateState {
  if (state === null) return { tokens: limit.burst, refilledAt: now };
  const elapsed = Math.max(0, now - state.refilledAt);
  const tokens = Math.min(limit.burst, state.tokens + (elapsed * limit.perMinute) / 60_000);
  return { tokens, refilledAt: Math.max(now, state.refilledAt) };
}

/** Takes up to `wanted` whole tokens from a refilled bucket. */
export function take(state: RateState, wanted: number): { granted: number; state: RateState } {
  const granted = Math.max(0, Math.min(wanted, Math.floor(state.tokens)));
  return { granted, state: { ...state, tokens: state.tokens - granted } };
}

/** How long until the next whole token, from a refilled bucket. */
export function msUntilNextToken(state: RateState, limit: RateLimit): number {
  if (state.tokens >= 1) return 0;
  return Math.ceil(((1 - state.tokens) * 60_000) / limit.perMinute);
}
