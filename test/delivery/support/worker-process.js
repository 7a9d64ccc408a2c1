// A delivery worker in its own process, run from the compiled build, for the restart and multi-process tests.
// Configured through the environment; prints one JSON line per event on stdout.
'use strict';
const path = require('node:path');

const build = process.env.BUILD_DIR;
const { DeliveryWorker, DestinationVault, sealedDestinations } = require(path.join(build, 'core', 'delivery'));
const { openSqliteStore } = require(path.join(build, 'core', 'store'));

function say(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function main() {
  const store = await openSqliteStore(process.env.DB_PATH);
  const worker = new DeliveryWorker({
    store,
    workerId: process.env.WORKER_ID || undefined,
    destinations: process.env.DESTINATION ? [JSON.parse(process.env.DESTINATION)] : [],
    // VAULT_KEYS: a JSON array of outbox keys; the worker then serves every destination sealed in the store.
    destinationSource: process.env.VAULT_KEYS ? sealedDestinations(new DestinationVault(JSON.parse(process.env.VAULT_KEYS))) : undefined,
    pollIntervalMs: 20,
    leaseMarginMs: Number(process.env.LEASE_MARGIN_MS || 30000),
    onResult: (result) => say({ type: 'result', deliveryId: result.deliveryId, status: result.status, attempt: result.attempt, key: result.idempotencyKey }),
    onError: (error) => say({ type: 'error', message: String(error && error.message) }),
  });
  process.on('SIGTERM', async () => {
    await worker.stop();
    await store.close();
    process.exit(0);
  });
  await worker.start();
  say({ type: 'started', workerId: worker.workerId, pid: process.pid });
}

main().catch((error) => {
  say({ type: 'fatal', message: String(error && error.stack) });
  process.exit(1);
});
