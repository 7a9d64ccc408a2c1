// autocannon runs against a loopback URL: every request a distinct signed PagerDuty webhook, signed as it is
// sent (a few microseconds of this process's time, against the server's milliseconds), so that the
// intake sees new events, not replays. Used by figures 2 (Node-RED) and 3 (n8n).
'use strict';
const autocannon = require('autocannon');
const { PROVIDERS, signedHeaders } = require('./payloads');

let counter = 0;

function signedPagerDutyRequest() {
  return {
    method: 'POST',
    setupRequest(request) {
      const body = PROVIDERS.pagerduty.body(1_000_000 + counter++);
      return { ...request, body, headers: { ...signedHeaders('pagerduty', body) } };
    },
  };
}

/**
 * Drives `url` for `seconds` with `connections` connections; at most `rate` requests/s in all when given.
 * Resolves with requests/s, p50/p99 latency (ms) and the counts of non-2xx answers and errors.
 */
async function drive(url, { seconds, connections, rate }) {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: Math.max(1, Math.round(rate)) } : {}),
    requests: [signedPagerDutyRequest()],
  });
  const done = result.requests.total;
  if (process.env.BENCH_DEBUG) console.error(JSON.stringify({ url, requests: result.requests, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, codes: result.statusCodeStats, mismatches: result.mismatches, resets: result.resets }));
  return {
    rps: done / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes: result.statusCodeStats,
  };
}

module.exports = { drive };
