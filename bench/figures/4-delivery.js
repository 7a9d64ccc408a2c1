// Figure 4: outbox throughput to a loopback receiver vs a raw undici POST loop, SQLite file store.
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runFigure } = require('../lib/figure');
const { dist } = require('../lib/paths');
const { outboxVersusRaw } = require('../lib/outbox');

runFigure(async ({ quick, log }) => {
  const { openSqliteStore } = require(join(dist, 'core/store'));
  const dir = mkdtempSync(join(tmpdir(), 'intake-bench-outbox-'));
  try {
    const row = await outboxVersusRaw({
      id: '4',
      storeLabel: 'SQLite',
      openStore: () => openSqliteStore(join(dir, 'outbox.db')),
      runs: quick ? 3 : 5,
      count: quick ? 400 : 2000,
      concurrency: 16,
      log,
    });
    return { rows: [row] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
