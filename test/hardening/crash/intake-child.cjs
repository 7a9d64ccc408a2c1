// An intake host in its own process, to be SIGKILLed at random points: the compiled core (dist/) serving one
// Standard Webhooks source over node:http on 127.0.0.1, storing in a SQLite file, and — like a Node-RED flow
// with a wired delivery node — enqueuing every incident change for a webhook destination in the same
// transaction, with a delivery worker in the same process. Prints {"port": n} once listening.
// Configured through the environment: DIST, DB_PATH, SECRET, MODE, DESTINATION (JSON), WORKER_ID.
'use strict';
const http = require('node:http');
const path = require('node:path');

const dist = process.env.DIST;
const { serveIntake } = require(path.join(dist, 'core/http/serve-intake'));
const { parseSourceConfig } = require(path.join(dist, 'core/intake/source-config'));
const { createNormaliser } = require(path.join(dist, 'core/mapping/create-normaliser'));
const { openSqliteStore } = require(path.join(dist, 'core/store'));
const { DeliveryWorker } = require(path.join(dist, 'core/delivery'));

async function main() {
  const store = await openSqliteStore(process.env.DB_PATH);
  const source = parseSourceConfig({
    tenant: 'crash',
    id: 'crash-src',
    provider: 'generic',
    mode: process.env.MODE || 'auto-create',
    auth: { scheme: 'standard-webhooks', secrets: [{ value: process.env.SECRET }] },
    limits: { quarantineDisableCount: 1000000, sourcePerHour: 1000000 },
  });
  const normaliser = createNormaliser({ provider: 'generic' });
  const destination = JSON.parse(process.env.DESTINATION);
  const deliverTo = [{ tenant: destination.tenant, id: destination.id, kind: destination.kind }];
  const worker = new DeliveryWorker({ store, destinations: [destination], workerId: process.env.WORKER_ID, pollIntervalMs: 25, hostPolicy: { allow: ['127.0.0.1'] } });
  await worker.start();
  const server = http.createServer((request, response) => {
    serveIntake(request, response, source, { store, normaliser, deliverTo })
      .then(() => worker.wake())
      .catch(() => response.destroy());
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
}

main().catch((error) => {
  process.stderr.write(`intake child failed: ${error && error.stack}\n`);
  process.exit(1);
});
