import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Summed over the process's threads, as the drift monitor does. */
function runQueueWaitMs(): number {
  try {
    let total = 0;
    for (const task of readdirSync('/proc/self/task')) total += Number(readFileSync(`/proc/self/task/${task}/schedstat`, 'utf8').split(' ')[1]);
    return total / 1e6;
  } catch {
    return NaN;
  }
}

/**
 * Watches this process's own event loop — for suites where the test process is the host (the core called
 * in-process). Same measure as the drift monitor preloaded into child hosts: per 20 ms window, the worst
 * delay less the time the process's threads waited for a core.
 */
export function watchLoop(): { stop(): { stallMs: number; delayMs: number } } {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let stallMs = 0;
  let delayMs = 0;
  let last = performance.now();
  let lastWait = runQueueWaitMs();
  const sample = () => {
    const now = performance.now();
    const wait = runQueueWaitMs();
    const delay = Math.max(histogram.max / 1e6, now - last - 20, 0);
    const stall = Number.isNaN(wait) ? delay : Math.max(0, delay - (wait - lastWait));
    stallMs = Math.max(stallMs, stall);
    delayMs = Math.max(delayMs, delay);
    histogram.reset();
    last = now;
    lastWait = wait;
  };
  const timer = setInterval(sample, 20);
  return {
    stop() {
      sample();
      clearInterval(timer);
      histogram.disable();
      return { stallMs, delayMs };
    },
  };
}
