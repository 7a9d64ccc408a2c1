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

/** Milliseconds the process's threads spent runnable but waiting for a core; NaN where the kernel does not say. */
function runQueueWaitMs() {
  try {
    let total = 0;
    for (const task of readdirSync('/proc/self/task')) total += Number(readFileSync(`/proc/self/task/${task}/schedstat`, 'utf8').split(' ')[1]);
    return total / 1e6;
  } catch {
    return NaN;
  }
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
  let lastWait = runQueueWaitMs();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuMs();
    const wait = runQueueWaitMs();
    const delayMs = Math.max(histogram.max / 1e6, now - last - WINDOW_MS, 0);
    const fields = [Date.now(), delayMs.toFixed(1), (cpu - lastCpu).toFixed(1), (wait - lastWait).toFixed(1), (now - last).toFixed(1), process.pid, longestGc.toFixed(1)];
    appendFileSync(file, `${fields.join(' ')}\n`);
    histogram.reset();
    longestGc = 0;
    last = now;
    lastCpu = cpu;
    lastWait = wait;
  }, WINDOW_MS);
  timer.unref();
}
