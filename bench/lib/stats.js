'use strict';

function sorted(values) {
  return [...values].sort((a, b) => a - b);
}

/** Median (the mean of the middle two for an even count), min and max. */
function summary(values) {
  const list = sorted(values.filter((value) => Number.isFinite(value)));
  if (list.length === 0) return undefined;
  const middle = Math.floor(list.length / 2);
  const median = list.length % 2 ? list[middle] : (list[middle - 1] + list[middle]) / 2;
  return { median, min: list[0], max: list[list.length - 1], runs: list.length };
}

/** CPU seconds (user + system, all threads) of this process since `start` (a process.cpuUsage() value). */
function cpuSecondsSince(start) {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Runs `work` and returns its wall and CPU seconds with whatever it returned. */
async function measure(work) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  return { wallSeconds: (performance.now() - started) / 1000, cpuSeconds: cpuSecondsSince(cpu), value };
}

module.exports = { summary, cpuSecondsSince, measure };
