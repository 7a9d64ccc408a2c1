// An intake host in its own process, to be SIGKILLed at random points: the compiled core (dist/) serving one
// Standard Webhooks source over node:http on 127.0.0.1, storing in a SQLite file. Prints {"port": n} once
// listening. Configured through the environment: DIST, DB_PATH, SECRET, MODE.
'use strict';
const http = require('node:http');
const path = require('node:path');

const dist = process.env.DIST;
const { serveIntake } = require(path.join(dist, 'core/http/serve-intake'));
const { parseSourceConfig } = require(path.join(dist, 'core/intake/source-config'));
const { createNormaliser } = require(path.join(dist, 'core/mapping/create-normaliser'));
const { openSqliteStore } = require(path.join(dist, 'core/store'));

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
  const server = http.createServer((request, response) => {
    serveIntake(request, response, source, { store, normaliser }).catch(() => response.destroy());
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
}

main().catch((error) => {
  process.stderr.write(`intake child failed: ${error && error.stack}\n`);
  process.exit(1);
});
