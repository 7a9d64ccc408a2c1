// Signed request bodies for the benchmarks: the PagerDuty and Alertmanager fixtures, made unique per index
// (so every request is a new event, not a replay), signed once up front so that signing never runs inside
// a measured loop. PagerDuty uses its own v3 scheme (X-PagerDuty-Signature: v1=<hex HMAC-SHA256>);
// Alertmanager has no signature of its own, so it is signed with the generic hex HMAC-SHA256 scheme
// (X-Signature: sha256=<hex>), as a signing proxy in front of Alertmanager would.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { dist, ROOT } = require('./paths');

const fixture = (name) => JSON.parse(readFileSync(join(ROOT, 'test/fixtures/providers', name), 'utf8'));
const PAGERDUTY = fixture('pagerduty.incident.triggered.json');
const ALERTMANAGER = fixture('alertmanager.webhook_v4.firing.json');

const SECRETS = { pagerduty: 'bench-pagerduty-secret-0123456789abcdef', alertmanager: 'bench-alertmanager-secret-0123456789abcdef' };

const PROVIDERS = {
  pagerduty: {
    provider: 'pagerduty',
    label: 'PagerDuty',
    scheme: 'pagerduty',
    /** Body of alert `n`; `version` changes the incident without changing its identity (an update). */
    body(n, version = 0) {
      const payload = structuredClone(PAGERDUTY);
      const id = `QBENCH${n.toString(36).toUpperCase().padStart(8, '0')}`;
      payload.event.id = `01BENCH${n}V${version}`;
      payload.event.data.id = id;
      payload.event.data.number = n;
      payload.event.data.incident_key = `bench-${n}`;
      payload.event.data.html_url = `https://acme.pagerduty.com/incidents/${id}`;
      payload.event.data.self = `https://api.pagerduty.com/incidents/${id}`;
      if (version > 0) payload.event.data.title = `${payload.event.data.title} (update ${version})`;
      return Buffer.from(JSON.stringify(payload));
    },
    /** The five fields the floor extracts. */
    extract(payload) {
      const data = payload.event.data;
      return [data.id, data.title, data.urgency, data.status, data.created_at];
    },
  },
  alertmanager: {
    provider: 'alertmanager',
    label: 'Alertmanager',
    scheme: 'hmac-hex',
    body(n, version = 0) {
      const payload = structuredClone(ALERTMANAGER);
      const alert = payload.alerts[0];
      alert.fingerprint = n.toString(16).padStart(16, '0');
      alert.labels.instance = `node-${n}`;
      payload.groupKey = `${payload.groupKey}:${n}`;
      if (version > 0) alert.annotations.summary = `${alert.annotations.summary} (update ${version})`;
      return Buffer.from(JSON.stringify(payload));
    },
    extract(payload) {
      const alert = payload.alerts[0];
      return [alert.fingerprint, alert.annotations.summary, alert.labels.severity, alert.status, alert.startsAt];
    },
  },
};

/** The headers a sender adds for `body` (content type included). */
function signedHeaders(providerName, body) {
  const { signRequest } = require(join(dist, 'core/signing'));
  const provider = PROVIDERS[providerName];
  return { 'content-type': 'application/json', ...signRequest(provider.scheme, SECRETS[providerName], body) };
}

/** `count` distinct signed requests, `{ body, headers }`, starting at alert number `from`. */
function signedRequests(providerName, count, from = 0) {
  const provider = PROVIDERS[providerName];
  const requests = new Array(count);
  for (let i = 0; i < count; i++) {
    const body = provider.body(from + i);
    requests[i] = { body, headers: signedHeaders(providerName, body) };
  }
  return requests;
}

/** Source settings for a benchmark source: limits raised so that budgets are counted but never refuse. */
function sourceInput(providerName, overrides = {}) {
  const provider = PROVIDERS[providerName];
  return {
    tenant: 'bench',
    id: `bench-${providerName}`,
    provider: provider.provider,
    mode: 'review',
    auth: { scheme: provider.scheme, secrets: [{ value: SECRETS[providerName] }] },
    limits: { sourcePerHour: 1_000_000_000, tenantPerDay: 1_000_000_000 },
    ...overrides,
  };
}

module.exports = { PROVIDERS, SECRETS, signedHeaders, signedRequests, sourceInput };
