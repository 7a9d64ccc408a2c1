// Figure 1: raw verify + parse + five fields vs the full core pipeline on a SQLite file store, with requests
// sent one at a time (1a, 1b) and 16 in flight (1c, 1d).
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runFigure } = require('../lib/figure');
const { dist } = require('../lib/paths');
const { floorVersusCore } = require('../lib/pipeline');

runFigure(async ({ quick, log }) => {
  const { openSqliteStore } = require(join(dist, 'core/store'));
  const dir = mkdtempSync(join(tmpdir(), 'intake-bench-sqlite-'));
  let stores = 0;
  try {
    const settings = {
      id: '1',
      storeLabel: 'SQLite',
      openStore: () => openSqliteStore(join(dir, `pipeline-${++stores}.db`)),
      runs: quick ? 3 : 5,
      count: quick ? 300 : 2000,
      floorCount: quick ? 3000 : 20000,
      log,
    };
    const oneAtATime = await floorVersusCore(settings);
    // An alert storm reaches the intake over many connections at once: the same requests, 16 in flight.
    const inFlight = await floorVersusCore({ ...settings, inFlight: 16, firstRow: 2 });
    return { rows: [...oneAtATime, ...inFlight] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
