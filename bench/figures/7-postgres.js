// Figure 7: figures 1 and 4 on the PostgreSQL store, against a throwaway cluster on loopback started with the
// test suite's helper (initdb + postgres, fsync off as in the tests). Pipeline rates count the CPU of this
// process and of the PostgreSQL server's processes; the outbox figure is wall-clock throughput as in 4; 7d is
// the pipeline with many requests in flight, PostgreSQL vs SQLite, wall clock.
'use strict';
const { join } = require('node:path');
const { runFigure } = require('../lib/figure');
const { dist } = require('../lib/paths');
const { floorVersusCore } = require('../lib/pipeline');
const { outboxVersusRaw } = require('../lib/outbox');
const { storesUnderConcurrency } = require('../lib/throughput');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { postgresCluster, cleanSupport } = require('../lib/support');
const { available: procAvailable, treeCpuSeconds } = require('../lib/proc-cpu');

runFigure(async ({ quick, log }) => {
  const { findPostgresBinaries, PostgresCluster } = postgresCluster();
  const binaries = findPostgresBinaries();
  if (!binaries) {
    cleanSupport();
    return { skipped: 'PostgreSQL binaries (initdb, postgres) not found in $PG_BIN_DIR, on PATH or in /usr/lib/postgresql/*/bin', rows: [] };
  }
  const { openPostgresStore, openSqliteStore } = require(join(dist, 'core/store'));
  const cluster = await PostgresCluster.start(binaries);
  const dir = mkdtempSync(join(tmpdir(), 'intake-bench-stores-'));
  let sqliteFiles = 0;
  try {
    const serverPid = cluster.server?.pid;
    const serverCpuSeconds = () => (procAvailable && serverPid ? treeCpuSeconds(serverPid) : 0);
    const pipeline = await floorVersusCore({
      id: '7',
      storeLabel: 'PostgreSQL',
      openStore: async () => openPostgresStore(await cluster.createDatabase()),
      serverCpuSeconds,
      runs: quick ? 3 : 5,
      count: quick ? 300 : 800,
      floorCount: quick ? 3000 : 20000,
      log,
    });
    const outbox = await outboxVersusRaw({
      id: '7c',
      storeLabel: 'PostgreSQL',
      openStore: async () => openPostgresStore(await cluster.createDatabase()),
      runs: quick ? 3 : 5,
      count: quick ? 400 : 1000,
      concurrency: 16,
      log,
    });
    const concurrent = await storesUnderConcurrency({
      id: '7d',
      openSqlite: () => openSqliteStore(join(dir, `concurrent-${++sqliteFiles}.db`)),
      openPostgres: async () => openPostgresStore(await cluster.createSchema()),
      runs: quick ? 2 : 5,
      count: quick ? 300 : 1000,
      concurrency: 16,
      log,
    });
    return {
      rows: [...pipeline, outbox, concurrent],
      notes: [
        procAvailable
          ? 'Pipeline rates per CPU-second include the PostgreSQL server processes (from /proc).'
          : 'This platform has no /proc: the pipeline rates count this process only, not the PostgreSQL server.',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await cluster.destroy();
    cleanSupport();
  }
});
