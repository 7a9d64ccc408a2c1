// Figure 8: the console's review queue page on a SQLite file store holding 10k and 100k events.
// 8a: GET /queue (the first 25 pending events, with their mapped fields and bounded payloads, rendered as HTML)
//     over real HTTP with a signed-in session, 100k events vs 10k; the target is < 100 ms at 100k.
// 8b: the same page 50,000 rows deep: the keyset query the console runs vs the OFFSET query it avoids, SQL only,
//     at 100k events.
'use strict';
const { createServer } = require('node:http');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runFigure } = require('../lib/figure');
const { dist } = require('../lib/paths');
const { summary } = require('../lib/stats');

const START = Date.parse('2026-11-01T00:00:00Z');

/** The same shape as test/console/support/bulk-events.ts: five sources, 60 % pending, several events per ms. */
async function insertEvents(database, count) {
  await database.transaction(async (client) => {
    await client.run(
      `INSERT INTO receipts (id, tenant, source_id, replay_key, message_id, received_at, body_sha256, body, content_type, http_status, outcome, response)
       VALUES ('rcp_bulk', 'acme', 'src-0', 'bulk', NULL, ?, 'bulk', ?, 'application/json', 202, 'accepted', '{}')`,
      [START, Buffer.from(JSON.stringify({ title: 'bulk', severity: 'high', details: 'x'.repeat(2000) }))],
    );
    await client.run(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO events (id, tenant, source_id, receipt_id, position, state, reasons, candidate, dedupe_key, incident_id, mapping_version, received_at)
       SELECT printf('evt_bulk_%08d', i), 'acme', 'src-' || (i % 5), 'rcp_bulk', 0,
         CASE WHEN i % 10 = 0 THEN 'quarantined' WHEN i % 10 IN (1, 4, 7) THEN 'promoted' ELSE 'pending_review' END,
         CASE WHEN i % 10 = 0 THEN '[{"field":"severity","message":"is required"}]' ELSE '[]' END,
         json_object('title', 'Bulk event ' || i, 'severity', 'high', 'status', 'open', 'detectedAt', '2026-11-01T00:00:00.000Z', 'affectedSystems', json_array('db-1', 'api-2')),
         'bulk-' || i, NULL, 'bulk-1', ? + (i / 3)
       FROM n`,
      [count, START],
    );
  });
}

async function signIn(url, password) {
  const form = await fetch(`${url}/sign-in`);
  const cookie = form.headers.getSetCookie()[0].split(';')[0];
  const pre = /name="pre" value="([^"]+)"/.exec(await form.text())[1];
  const answer = await fetch(`${url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ pre, user: 'bench', password }).toString(),
  });
  return answer.headers.getSetCookie().find((line) => line.startsWith('ii_console=')).split(';')[0];
}

async function consoleOn(dir, count, passwordHash) {
  const { SqliteDatabase, migrate, storeOn } = require(join(dist, 'core/store'));
  const { createConsole } = require(join(dist, 'core/console'));
  const database = new SqliteDatabase({ path: join(dir, `console-${count}.db`) });
  await migrate(database);
  await insertEvents(database, count);
  const store = storeOn(database);
  const app = createConsole({ store, basePath: '', users: { users: [{ id: 'bench', name: 'Bench', roles: ['viewer'], tenants: ['acme'], passwordHash }], apiTokens: [] } });
  const server = createServer((request, response) => void app.handle(request, response));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    database,
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
      await store.close();
    },
  };
}

/** Median latency in ms of `requests` sequential calls. */
async function medianMs(requests, call) {
  const times = [];
  for (let n = 0; n < requests; n++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return summary(times).median;
}

runFigure(async ({ quick, log }) => {
  const { hashConsolePassword } = require(join(dist, 'core/console'));
  const runs = quick ? 3 : 5;
  const requests = quick ? 20 : 50;
  const password = 'bench-password';
  const passwordHash = await hashConsolePassword(password);
  const dir = mkdtempSync(join(tmpdir(), 'intake-bench-console-'));
  const consoles = {};
  try {
    for (const count of [10_000, 100_000]) consoles[count] = await consoleOn(dir, count, passwordHash);
    const cookies = {};
    for (const count of [10_000, 100_000]) cookies[count] = await signIn(consoles[count].url, password);
    const queue = (count) => async () => {
      const response = await fetch(`${consoles[count].url}/queue`, { headers: { cookie: cookies[count] } });
      const html = await response.text();
      if (response.status !== 200 || !html.includes('<article class="card"')) throw new Error(`the queue page answered ${response.status}`);
    };
    const database = consoles[100_000].database;
    const deepCursor = await database.transaction((client) =>
      client.get("SELECT received_at, id FROM events WHERE tenant = 'acme' AND state = 'pending_review' ORDER BY received_at DESC, id DESC LIMIT 1 OFFSET 49999"),
    );
    const keyset = () =>
      database.transaction((client) =>
        client.all(
          "SELECT * FROM events WHERE tenant = 'acme' AND state = 'pending_review' AND (received_at, id) < (?, ?) ORDER BY received_at DESC, id DESC LIMIT 26",
          [deepCursor.received_at, deepCursor.id],
        ),
      );
    const offset = () => database.transaction((client) => client.all("SELECT * FROM events WHERE tenant = 'acme' AND state = 'pending_review' ORDER BY received_at DESC, id DESC LIMIT 26 OFFSET 50000"));
    for (const count of [10_000, 100_000]) await medianMs(10, queue(count));
    await medianMs(10, keyset);
    await medianMs(10, offset);
    const small = [];
    const large = [];
    const deepKeyset = [];
    const deepOffset = [];
    for (let run = 0; run < runs; run++) {
      small.push(await medianMs(requests, queue(10_000)));
      large.push(await medianMs(requests, queue(100_000)));
      deepKeyset.push(await medianMs(requests, keyset));
      deepOffset.push(await medianMs(requests, offset));
    }
    log(`queue page 10k ${small.map((v) => v.toFixed(1)).join(', ')} ms; 100k ${large.map((v) => v.toFixed(1)).join(', ')} ms; deep keyset ${deepKeyset.map((v) => v.toFixed(2)).join(', ')} ms; deep offset ${deepOffset.map((v) => v.toFixed(2)).join(', ')} ms`);
    return {
      rows: [
        {
          id: '8a',
          figure: 'Console: review queue page, 100k events vs 10k (SQLite file)',
          unit: 'ms',
          format: 'ms',
          measuredLabel: '100k',
          measured: large,
          baselineLabel: '10k',
          baseline: small,
          ratio: large.map((value, run) => value / small[run]),
          ratioLabel: 'of the 10k time',
          target: { op: '<', value: 100, text: '< 100 ms at 100k' },
          targetValues: large,
          notes: [`8a: ${runs} runs, each the median of ${requests} sequential GET /queue over HTTP with a signed-in session (first 25 pending events, mapped fields, a 4 KB-bounded payload each, the pending count up to 10,000, the source list).`],
        },
        {
          id: '8b',
          figure: 'Console: queue 50,000 rows deep at 100k events, keyset vs OFFSET (SQL only)',
          unit: 'ms',
          format: 'ms',
          measured: deepKeyset,
          baseline: deepOffset,
          ratio: deepOffset.map((value, run) => value / deepKeyset[run]),
          ratioLabel: 'faster',
          notes: ['8b: the query behind page 2,000 of the queue (50,000 rows in), one transaction each, median of the same number of calls; the console only ever runs the keyset form.'],
        },
      ],
    };
  } finally {
    for (const entry of Object.values(consoles)) await entry.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
