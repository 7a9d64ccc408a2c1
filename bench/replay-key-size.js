#!/usr/bin/env node
'use strict';
/**
 * How big the replay-key table grows: writes replay keys for REQUESTS requests (default 1,000,000) into a fresh
 * SQLite file and, when PostgreSQL's binaries are installed, a throwaway PostgreSQL cluster, then prints the
 * table's size with its index. A measurement, not a test: run it by hand with the project's Node (24),
 *
 *   npx node bench/replay-key-size.js            # REQUESTS=200000 npx node bench/replay-key-size.js
 *
 * Each request leaves the key that is kept for years: the long-lived content key of a scheme without a signed
 * timestamp (a PagerDuty delivery). Its delivery id key has the same size but lives a week, so it adds a
 * week's traffic at most. Rows are the ones `ReplayKeyRepository.remember` writes (same digest, same columns),
 * inserted in multi-row statements so the run takes a minute rather than an hour. The code under test is compiled from the
 * sources with the project's tsconfig into a temporary folder first.
 */
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const REPO = resolve(__dirname, '..');
const REQUESTS = Number(process.env.REQUESTS ?? 1_000_000);
const ROWS_PER_STATEMENT = 500;

function compile(outDir) {
  const tsconfig = join(outDir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(REPO, 'tsconfig.json'),
      compilerOptions: { rootDir: REPO, outDir, typeRoots: [join(REPO, 'node_modules/@types')], declaration: false, sourceMap: false },
      files: [join(REPO, 'core/store/index.ts'), join(REPO, 'test/support/postgres-cluster.ts')],
      include: [],
    }),
  );
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { cwd: REPO, stdio: 'inherit' });
  process.env.NODE_PATH = join(REPO, 'node_modules');
  require('node:module').Module._initPaths();
  return {
    store: require(join(outDir, 'core/store/index.js')),
    hash: require(join(outDir, 'core/store/replay-key-hash.js')),
    cluster: require(join(outDir, 'test/support/postgres-cluster.js')),
  };
}

/** Writes the keys of REQUESTS requests, one transaction per 20,000 rows. */
async function fill(database, { replayKeyHash }) {
  const start = Date.parse('2026-01-01T00:00:00Z');
  let written = 0;
  while (written < REQUESTS) {
    await database.transaction(async (client) => {
      for (let statement = 0; statement < 40 && written < REQUESTS; statement++) {
        const values = [];
        for (let row = 0; row < ROWS_PER_STATEMENT && written < REQUESTS; row++, written++) {
          const key = `sig:${written.toString(16).padStart(64, '0')}`;
          values.push(replayKeyHash('acme', 'pagerduty-prod', key), 'acme', 'pagerduty-prod', start + written * 30_000, 0, 202);
        }
        const rows = Array.from({ length: values.length / 6 }, () => '(?, ?, ?, ?, ?, ?)').join(', ');
        await client.run(`INSERT INTO replay_keys (key_hash, tenant, source_id, seen_at, short_lived, http_status) VALUES ${rows}`, values);
      }
    });
  }
  return written;
}

function report(engine, keys, bytes, detail) {
  const perMillion = (bytes / keys) * 1_000_000;
  console.log(
    `${engine}: ${keys.toLocaleString('en')} keys: ${(bytes / 1048576).toFixed(1)} MiB, ${(bytes / keys).toFixed(1)} bytes per key,` +
      ` ${(perMillion / 1048576).toFixed(1)} MiB per million events ${detail}`,
  );
}

async function sqlite(modules, dir) {
  const database = new modules.store.SqliteDatabase({ path: join(dir, 'replay-keys.sqlite') });
  try {
    await modules.store.migrate(database);
    const keys = await fill(database, modules.hash);
    const rows = await database.transaction((client) =>
      client.all("SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name IN ('replay_keys', 'replay_keys_by_age') GROUP BY name"),
    );
    const bytes = rows.reduce((sum, row) => sum + Number(row.bytes), 0);
    report('SQLite', keys, bytes, `[${rows.map((row) => `${row.name} ${(Number(row.bytes) / 1048576).toFixed(1)} MiB`).join(', ')}; pages in use, dbstat]`);
  } finally {
    await database.close();
  }
}

async function postgres(modules) {
  const binaries = modules.cluster.findPostgresBinaries();
  if (!binaries) return console.log('PostgreSQL: skipped (initdb and postgres not found)');
  const cluster = await modules.cluster.PostgresCluster.start(binaries);
  const database = new modules.store.PostgresDatabase({ connectionString: await cluster.createSchema() });
  try {
    await modules.store.migrate(database);
    const keys = await fill(database, modules.hash);
    await database.transaction((client) => client.exec('ANALYZE replay_keys'));
    const row = await database.transaction((client) =>
      client.get("SELECT pg_total_relation_size('replay_keys') AS total, pg_relation_size('replay_keys') AS heap, pg_indexes_size('replay_keys') AS indexes"),
    );
    report('PostgreSQL', keys, Number(row.total), `[pg_total_relation_size; heap ${(Number(row.heap) / 1048576).toFixed(1)} MiB, indexes ${(Number(row.indexes) / 1048576).toFixed(1)} MiB]`);
  } finally {
    await database.close();
    await cluster.destroy();
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'replay-key-size-'));
  try {
    const modules = compile(dir);
    await sqlite(modules, dir);
    await postgres(modules);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
