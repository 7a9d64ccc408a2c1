import { join } from 'node:path';
import { privateBuild } from '../support/private-build';

/** The compiled core the crash children run (a private build of the current sources). */
export function dist(): string {
  return join(privateBuild(), 'dist');
}

/** Crash iterations per loop: a short default for `npm test` and CI, more with HARDENING_ITERATIONS=n. */
export function iterations(defaultCount: number): number {
  const requested = Number(process.env.HARDENING_ITERATIONS);
  return Number.isFinite(requested) && requested > 0 ? Math.round(requested) : defaultCount;
}

/** Wall-clock budget for a loop, so a slow machine ends the loop early instead of timing the test out. */
export function deadline(defaultMs: number): number {
  const iterationsRequested = Number(process.env.HARDENING_ITERATIONS) > 0;
  return Date.now() + (iterationsRequested ? 60 * 60_000 : defaultMs);
}

export const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
