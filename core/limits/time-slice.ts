/**
 * For loops over many items on the host's event loop (thousands of alerts in one request): call the returned
 * function once per item and await it. It resolves at once until `sliceMs` have passed, then lets the event
 * loop run other work (timers, other requests) before the loop goes on.
 */
export function timeSlicer(sliceMs = 4): () => Promise<void> | undefined {
  let sliceStartedAt = performance.now();
  return () => {
    if (performance.now() - sliceStartedAt < sliceMs) return undefined;
    return new Promise((resolve) =>
      setImmediate(() => {
        sliceStartedAt = performance.now();
        resolve();
      }),
    );
  };
}
