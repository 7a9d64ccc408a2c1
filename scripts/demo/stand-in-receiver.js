// A local stand-in for incident.io and for a generic webhook receiver, so `npm start` shows deliveries without
// any account or network. The first request to each route fails with 503 to show a retry; later ones succeed.
// Webhook deliveries are verified with the package's own Standard Webhooks verifier.
'use strict';
const { createServer } = require('node:http');
const { join } = require('node:path');
const { REPO } = require('./node-red-process');

function startStandInReceiver({ webhookSecret, log }) {
  const { verifyRequest } = require(join(REPO, 'dist/core/signing'));
  const failedOnce = new Set();
  const received = [];
  let incidentCount = 0;
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const route = `${request.method} ${request.url.replace(/\/(inc_|01)[A-Za-z0-9]+/, '/{id}')}`;
      const answer = (status, json) => {
        received.push({ route, status, body: body.toString() });
        log(`${route} ← ${status}${status === 503 ? ' (simulated outage: the outbox will retry)' : ''}`);
        response.writeHead(status, { 'content-type': 'application/json' }).end(json === undefined ? '' : JSON.stringify(json));
      };
      if (request.method === 'GET' && request.url === '/v1/severities') {
        return answer(200, { severities: [{ id: '01SEVCRITICAL', name: 'Critical', rank: 3 }, { id: '01SEVMAJOR', name: 'Major', rank: 2 }, { id: '01SEVMINOR', name: 'Minor', rank: 1 }] });
      }
      if (!failedOnce.has(route)) {
        failedOnce.add(route);
        return answer(503, { type: 'service_unavailable', status: 503 });
      }
      if (request.url.startsWith('/v2/alert_events/http/')) {
        const event = JSON.parse(body.toString() || '{}');
        return answer(202, { deduplication_key: event.deduplication_key, message: 'Event accepted for processing', status: 'success' });
      }
      if (request.url === '/v2/incidents') {
        const create = JSON.parse(body.toString() || '{}');
        return answer(200, { incident: { id: `01DEMOINCIDENT${++incidentCount}`, name: create.name, reference: `INC-${incidentCount}` } });
      }
      if (/^\/v2\/incidents\/[^/]+\/actions\/edit$/.test(request.url)) return answer(200, { incident: {} });
      if (request.url.startsWith('/hooks/')) {
        const verified = verifyRequest({ scheme: 'standard-webhooks', secrets: [{ value: webhookSecret }] }, { headers: request.headersDistinct, rawBody: body, now: new Date() });
        return answer(verified.ok ? 204 : 401);
      }
      return answer(404, { type: 'not_found' });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        received,
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
      }),
    ),
  );
}

module.exports = { startStandInReceiver };
