import { describe, expect, it } from 'vitest';
import { msUntilNextToken, refill, take } from '../../core/delivery';

describe('token bucket', () => {
  const limit = { perMinute: 120, burst: 20 };

  it('starts full, refills continuously up to the burst', () => {
    const fresh = refill(null, limit, 1_000);
    expect(fresh).toEqual({ tokens: 20, refilledAt: 1_000 });
    const { granted, state } = take(fresh, 25);
    expect(granted).toBe(20);
    expect(refill(state, limit, 1_500).tokens).toBeCloseTo(1);
    expect(refill(state, limit, 1_000 + 60_000).tokens).toBe(20);
  });

  it('grants only whole tokens and says when the next one arrives', () => {
    const empty = { tokens: 0.25, refilledAt: 0 };
    expect(take(empty, 3).granted).toBe(0);
    expect(msUntilNextToken(empty, limit)).toBe(375);
    expect(msUntilNextToken({ tokens: 2, refilledAt: 0 }, limit)).toBe(0);
  });

  it('never goes back in time', () => {
    expect(refill({ tokens: 3, refilledAt: 5_000 }, limit, 4_000)).toEqual({ tokens: 3, refilledAt: 5_000 });
  });
});
