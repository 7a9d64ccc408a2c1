import type jsonata from 'jsonata';

/**
 * Mappings evaluated in the host's own process (the provider presets) must not hold its event loop. JSONata
 * evaluation is async but only ever awaits settled promises, so a long evaluation (a payload with thousands of
 * alerts) used to block everything else — other requests, timers — until it ended or hit its time limit.
 * JSONata awaits an entry hook before every step; this one lets other work run every few milliseconds.
 *
 * Loaded by the mapping worker straight from source in tests: erasable syntax and `import type` only.
 */

/** Longest stretch of evaluation between two turns of the event loop. */
const SLICE_MS = 4;
const EVALUATE_ENTRY = Symbol.for('jsonata.__evaluate_entry');

let sliceStartedAt = 0;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => resolve()));
}

function yieldWhenSliceIsOver(): Promise<void> | undefined {
  const now = performance.now();
  if (now - sliceStartedAt < SLICE_MS) return undefined;
  return nextTurn().then(() => {
    sliceStartedAt = performance.now();
  });
}

/** Makes every evaluation of `expression` give the event loop a turn at least every few milliseconds. */
export function evaluateCooperatively(expression: jsonata.Expression): void {
  expression.assign(EVALUATE_ENTRY as unknown as string, yieldWhenSliceIsOver);
}
