'use strict';
const { spawnSync } = require('node:child_process');
const { availableParallelism, cpus, loadavg, release, totalmem, type } = require('node:os');
const { ROOT } = require('./paths');

const CORES = availableParallelism();

/** What the numbers were measured on. */
function machine() {
  const model = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const ramGb = totalmem() / 1024 ** 3;
  const load = loadavg().map((value) => value.toFixed(2));
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() || 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'core', 'node-red', 'nodes', 'credentials', 'bench'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim();
  const fields = {
    cpu: model,
    cores: CORES,
    ramGb: Number(ramGb.toFixed(1)),
    os: `${type()} ${release()}`,
    node: process.version,
    loadAtStart: load,
    date: new Date().toISOString(),
    commit: `${commit}${dirty ? ' (with uncommitted changes)' : ''}`,
  };
  return {
    ...fields,
    summary: `${fields.cpu}, ${fields.cores} cores, ${fields.ramGb} GB RAM, ${fields.os}, Node ${fields.node}, load average ${load.join(' / ')} (1/5/15 min)`,
  };
}

/** The highest 1-minute load average sampled, when it exceeded the core count; otherwise undefined. */
function loadIsHigh(samples) {
  const highest = Math.max(0, ...samples);
  return highest > CORES ? highest : undefined;
}

module.exports = { machine, loadIsHigh, CORES };
