// Figure 1: the full core pipeline on a SQLite file store against the durable floor (verify + parse + one durable
// row per transaction, the store's pragmas) with requests sent one at a time (1a, 1b), and against the group
// floor (16 rows per transaction) with 16 in flight (1c, 1d). The verify + parse floor is in the notes.
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
  let floors = 0;
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
    const floorPath = () => join(dir, `floor-${++floors}.db`);
    const oneAtATime = await floorVersusCore({ ...settings, durable: { path: floorPath, rowsPerTransaction: 1, target: { op: '<=', value: 3, text: '≤ 3× durable floor' } } });
    // An alert storm reaches the intake over many connections at once: the same requests, 16 in flight.
    const inFlight = await floorVersusCore({
      ...settings,
      inFlight: 16,
      firstRow: 2,
      durable: { path: floorPath, rowsPerTransaction: 16, target: { op: '<=', value: 4, text: '≤ 4× group floor' } },
    });
    return { rows: [...oneAtATime, ...inFlight] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
