// Preloaded into a host process (NODE_OPTIONS=--require) by the hardening suites: measures that process's
// own event loop and appends one line per window to HARDENING_DRIFT_FILE:
//   <epoch ms> <worst loop delay ms> <main-thread CPU ms> <run-queue wait ms> <window ms> <pid> <longest GC ms>
// The delay comes from Node's event-loop delay histogram (10 ms resolution) and this window's own timer.
// The run-queue wait (Linux schedstat, summed over the process's threads: runnable, but no free core) tells
// a loop the host blocked itself from a process that did not get a core on a busy machine — including the
// main thread waiting for its own GC helper threads while they wait for a core.
'use strict';
const { appendFileSync, readdirSync, readFileSync } = require('node:fs');
const { monitorEventLoopDelay, performance, PerformanceObserver } = require('node:perf_hooks');

const file = process.env.HARDENING_DRIFT_FILE;
const WINDOW_MS = 50;

function threadCpuMs() {
  const usage = process.threadCpuUsage ? process.threadCpuUsage() : process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Each live thread's total run-queue wait (ns), by thread id; undefined where the kernel does not say. */
function threadWaits() {
  try {
    const waits = new Map();
    for (const task of readdirSync('/proc/self/task')) {
      try {
        waits.set(task, Number(readFileSync(`/proc/self/task/${task}/schedstat`, 'utf8').split(' ')[1]));
      } catch {
        // The thread ended between listing and reading.
      }
    }
    return waits;
  } catch {
    return undefined;
  }
}

/**
 * Milliseconds the process's threads spent runnable but waiting for a core since the previous sample; NaN
 * where the kernel does not say. Per thread, so a thread that ended (a worker, a GC helper) takes its total
 * out of neither side: a plain sum over the live threads would drop by that total and make the window's
 * wait negative, inflating the stall by it.
 */
function runQueueWaitSince(previous, current) {
  if (!previous || !current) return NaN;
  let ns = 0;
  for (const [task, wait] of current) ns += Math.max(0, wait - (previous.get(task) ?? 0));
  return ns / 1e6;
}

if (file && !process.env.INCIDENT_INTAKE_MAPPING_WORKER) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let longestGc = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longestGc = Math.max(longestGc, entry.duration);
  }).observe({ entryTypes: ['gc'] });
  let last = performance.now();
  let lastCpu = threadCpuMs();
  let lastWaits = threadWaits();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuMs();
    const waits = threadWaits();
    const delayMs = Math.max(histogram.max / 1e6, now - last - WINDOW_MS, 0);
    const fields = [Date.now(), delayMs.toFixed(1), (cpu - lastCpu).toFixed(1), runQueueWaitSince(lastWaits, waits).toFixed(1), (now - last).toFixed(1), process.pid, longestGc.toFixed(1)];
    appendFileSync(file, `${fields.join(' ')}\n`);
    histogram.reset();
    longestGc = 0;
    last = now;
    lastCpu = cpu;
    lastWaits = waits;
  }, WINDOW_MS);
  timer.unref();
}
