// Figure 1: raw verify + parse + five fields vs the full core pipeline on a SQLite file store.
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
    const rows = await floorVersusCore({
      id: '1',
      storeLabel: 'SQLite',
      openStore: () => openSqliteStore(join(dir, `pipeline-${++stores}.db`)),
      runs: quick ? 3 : 5,
      count: quick ? 300 : 2000,
      floorCount: quick ? 3000 : 20000,
      log,
    });
    return { rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
