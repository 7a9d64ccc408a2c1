import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Equality whose time depends on neither the contents nor the length of `presented`: both sides are
 * hashed to 32 bytes first, so `timingSafeEqual` always compares equal-length buffers.
 */
export function constantTimeEqual(expected: Buffer, presented: Buffer): boolean {
  const digestsEqual = timingSafeEqual(sha256(expected), sha256(presented));
  return digestsEqual && expected.length === presented.length;
}

/**
 * True when any presented value equals any expected value. Every pair is compared, with no early exit,
 * so the time taken does not tell which secret (or which presented signature) matched.
 */
export function anyEqual(expected: readonly Buffer[], presented: readonly Buffer[]): boolean {
  return firstMatch(expected, presented) >= 0;
}

/**
 * The index of the first expected value that equals any presented value, or -1. Like {@link anyEqual}, every
 * pair is compared with no early exit; the index only tells the caller which secret was used.
 */
export function firstMatch(expected: readonly Buffer[], presented: readonly Buffer[]): number {
  let matched = -1;
  for (const [index, candidate] of expected.entries()) {
    let equal = false;
    for (const value of presented) {
      equal = constantTimeEqual(candidate, value) || equal;
    }
    if (equal && matched < 0) matched = index;
  }
  return matched;
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}
