// Preloaded into a host process (NODE_OPTIONS=--require) by the hardening suites: measures that process's
// own event loop and appends one line per window to HARDENING_DRIFT_FILE:
//   <epoch ms> <worst loop delay ms> <main-thread CPU ms> <main-thread run-queue wait ms> <window ms> <pid>
// The delay comes from Node's event-loop delay histogram (10 ms resolution) and this window's own timer.
// The run-queue wait (Linux schedstat: runnable, but no free core) tells a loop the host blocked itself —
// computing or in a blocking system call — from a process that simply did not get a core on a busy machine.
'use strict';
const { appendFileSync, readFileSync } = require('node:fs');
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');

const file = process.env.HARDENING_DRIFT_FILE;
const WINDOW_MS = 50;

function threadCpuMs() {
  const usage = process.threadCpuUsage ? process.threadCpuUsage() : process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Nanoseconds this thread spent runnable but waiting for a core; NaN where the kernel does not say. */
function runQueueWaitMs() {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}

if (file && !process.env.INCIDENT_INTAKE_MAPPING_WORKER) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = performance.now();
  let lastCpu = threadCpuMs();
  let lastWait = runQueueWaitMs();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuMs();
    const wait = runQueueWaitMs();
    const delayMs = Math.max(histogram.max / 1e6, now - last - WINDOW_MS, 0);
    const fields = [Date.now(), delayMs.toFixed(1), (cpu - lastCpu).toFixed(1), (wait - lastWait).toFixed(1), (now - last).toFixed(1), process.pid];
    appendFileSync(file, `${fields.join(' ')}\n`);
    histogram.reset();
    last = now;
    lastCpu = cpu;
    lastWait = wait;
  }, WINDOW_MS);
  timer.unref();
}
