// CPU time of other processes (Linux /proc), so that work done outside the benchmark process — mapping
// worker processes, the PostgreSQL server — is counted in "per CPU-second" rates.
'use strict';
const { execFileSync } = require('node:child_process');
const { readFileSync, readdirSync } = require('node:fs');

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** [pid, ppid, own CPU ticks, reaped children's CPU ticks] from /proc/PID/stat, or undefined when gone. */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: fields are counted after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), own: Number(fields[11]) + Number(fields[12]), children: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return undefined;
  }
}

/** Whether /proc can be read here (Linux). */
const available = (() => {
  try {
    return stat(process.pid) !== undefined;
  } catch {
    return false;
  }
})();

/** CPU seconds used so far by these processes (exited ones count 0). */
function cpuSecondsOf(pids) {
  let ticks = 0;
  for (const pid of pids) ticks += stat(pid)?.own ?? 0;
  return ticks / clockTicks();
}

/**
 * CPU seconds used so far by a process tree: the root, its reaped children, and its live descendants (a
 * PostgreSQL postmaster and its backends).
 */
function treeCpuSeconds(rootPid) {
  const all = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map((name) => stat(Number(name))).filter(Boolean);
  const children = new Map();
  for (const entry of all) {
    if (!children.has(entry.ppid)) children.set(entry.ppid, []);
    children.get(entry.ppid).push(entry);
  }
  const root = all.find((entry) => entry.pid === rootPid);
  if (!root) return 0;
  let ticks = 0;
  const pending = [root];
  while (pending.length > 0) {
    const entry = pending.pop();
    ticks += entry.own + entry.children;
    pending.push(...(children.get(entry.pid) ?? []));
  }
  return ticks / clockTicks();
}

module.exports = { available, cpuSecondsOf, treeCpuSeconds };
