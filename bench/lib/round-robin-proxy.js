// A round-robin load balancer on 127.0.0.1 for the scale-out figure: node:http forwarding each request, body
// bytes and headers unchanged, to the next backend in turn (the same job as the proxy in test/scale/engines).
'use strict';
const { createServer, request: httpRequest, Agent } = require('node:http');

function startProxy(backends) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server = createServer((request, response) => {
    const target = new URL(request.url, backends[next++ % backends.length]);
    const upstream = httpRequest(target, { method: request.method, headers: { ...request.headers, host: target.host }, agent }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => (response.headersSent ? response.destroy() : response.writeHead(502).end()));
    request.pipe(upstream);
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => (server.closeAllConnections(), agent.destroy(), server.close(() => done()))),
      }),
    ),
  );
}

module.exports = { startProxy };
