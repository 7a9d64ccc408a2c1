// A loopback HTTP receiver in its own process that answers every request 204 after reading its body, so that
// a sender's throughput is not limited by a receiver sharing its event loop. Run directly, it listens on
// 127.0.0.1 and reports its port over IPC; `startReceiver()` starts one.
'use strict';
const { fork } = require('node:child_process');
const { createServer } = require('node:http');

function serve() {
  let received = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received++;
      response.writeHead(204);
      response.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('message', (message) => {
    if (message === 'count') process.send({ received });
  });
  process.on('disconnect', () => process.exit(0));
}

/** Starts a receiver process; resolves with its URL and a stop function. */
function startReceiver() {
  const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', ({ port }) => {
      resolve({
        url: `http://127.0.0.1:${port}/in`,
        stop: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

if (require.main === module && process.argv.includes('--serve')) serve();

module.exports = { startReceiver };
