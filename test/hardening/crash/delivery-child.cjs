// A delivery host in its own process, to be SIGKILLed at random points: the compiled core's DeliveryWorker
// (dist/) over a SQLite outbox, with a stable worker id as a host restarting on the same machine would have.
// Prints {"started": true} once running and one JSON line per attempt result. Environment: DIST, DB_PATH,
// DESTINATION (JSON), WORKER_ID.
'use strict';
const path = require('node:path');

const dist = process.env.DIST;
const { DeliveryWorker } = require(path.join(dist, 'core/delivery'));
const { openSqliteStore } = require(path.join(dist, 'core/store'));

const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function main() {
  const store = await openSqliteStore(process.env.DB_PATH);
  const worker = new DeliveryWorker({
    store,
    workerId: process.env.WORKER_ID,
    destinations: [JSON.parse(process.env.DESTINATION)],
    pollIntervalMs: 25,
    concurrency: 8,
    onResult: (result) => say({ result: { id: result.deliveryId, status: result.status, attempt: result.attempt } }),
    onError: (error) => say({ error: String(error && error.message) }),
  });
  process.on('SIGTERM', () => {
    worker.stop().then(() => store.close()).then(() => process.exit(0));
  });
  await worker.start();
  say({ started: true });
}

main().catch((error) => {
  process.stderr.write(`delivery child failed: ${error && error.stack}\n`);
  process.exit(1);
});
