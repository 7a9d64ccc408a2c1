import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryDetails, destinationHealth, INCIDENT_IO_INCIDENT_ID, type DestinationConfigInput } from '../../core/delivery';
import { incidentIoFixture } from './support/fixtures';
import { harness, START, type Harness } from './support/harness';
import { IncidentIoStandIn } from './support/incident-io-stand-in';
import { incidentRecord, nextVersion, RESOLVED_AT } from './support/incidents';
import { INCIDENT_TARGET } from './support/destinations';

const API_KEY = INCIDENT_TARGET.apiKey;
const SOURCE_ID = '01HZALERTSOURCE000000000000';
const SOURCE_TOKEN = 'alert-source-token-9876';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function setUp(destination: Record<string, unknown>, limits: { alertEventsPerMinute?: number } = {}): Promise<{ h: Harness; standIn: IncidentIoStandIn }> {
  let h: Harness | undefined;
  const standIn = await IncidentIoStandIn.start({ apiKey: API_KEY, alertSources: { [SOURCE_ID]: SOURCE_TOKEN }, now: () => h!.clock.now(), ...limits });
  h = await harness([{ baseUrl: standIn.url, ...destination } as DestinationConfigInput]);
  cleanup.push(() => standIn.close(), () => h.close());
  return { h, standIn };
}

const alertTarget = { kind: 'incident-io', id: 'iio-alerts', tenant: 't1', target: 'alert_event', alertSourceConfigId: SOURCE_ID, alertSourceToken: SOURCE_TOKEN };

describe('incident.io delivery against a contract-checking stand-in', () => {
  it('has a stand-in that refuses what the real API would refuse', async () => {
    const { standIn } = await setUp(alertTarget);
    const post = async (path: string, body: unknown, token: string) => {
      const response = await request(`${standIn.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.statusCode, body: (await response.body.json()) as { errors?: Array<{ message: string }> } };
    };
    const alertPath = `/v2/alert_events/http/${SOURCE_ID}`;
    expect((await post(alertPath, { title: 'x', status: 'firing', deduplication_key: 'k' }, 'nope')).status).toBe(401);
    const broken = await post(alertPath, { title: 'x', status: 'open', deduplication_key: 'k', priority: 'P1', metadata: { anything: [1] } }, SOURCE_TOKEN);
    expect(broken.status).toBe(422);
    expect(broken.body.errors!.map((error) => error.message)).toEqual(['$.priority: not part of the contract', '$.status: must be one of firing, resolved']);
    expect((await post('/v2/incidents', { idempotency_key: 'k', visibility: 'public', name: 'x' }, API_KEY)).body).toEqual(incidentIoFixture('error.422.response'));
    expect((await post('/v2/incidents/unknown/actions/edit', { incident: {}, notify_incident_channel: false }, API_KEY)).status).toBe(404);
  });

  it('sends alert events, firing then resolved, with the alert source token and the incident identity as dedupe key', async () => {
    const { h, standIn } = await setUp(alertTarget);
    const opened = incidentRecord();
    await h.enqueue(opened);
    await h.enqueue(nextVersion(opened, { status: 'resolved' }, RESOLVED_AT));
    const results = [...(await h.worker.runOnce()), ...(await h.worker.runOnce())];
    expect(results.map((result) => [result.eventKind, result.status, result.httpStatus, result.remoteId])).toEqual([
      ['incident.created', 'delivered', 202, 'jira:acme.atlassian.net:SEC-142'],
      ['incident.resolved', 'delivered', 202, 'jira:acme.atlassian.net:SEC-142'],
    ]);
    expect(standIn.contractViolations).toEqual([]);
    expect(standIn.requests.map((request) => [request.path, request.headers.authorization])).toEqual([
      [`/v2/alert_events/http/${SOURCE_ID}`, `Bearer ${SOURCE_TOKEN}`],
      [`/v2/alert_events/http/${SOURCE_ID}`, `Bearer ${SOURCE_TOKEN}`],
    ]);
    expect(standIn.requests.map((request) => request.body)).toEqual([
      incidentIoFixture('alert_event.firing.request'),
      incidentIoFixture('alert_event.resolved.request'),
    ]);
    expect(results[0]!.response!.body).toBe(JSON.stringify(incidentIoFixture('alert_event.202.response')));
  });

  it('surfaces 401 as terminal with incident.io’s error code, never the token', async () => {
    const { h, standIn } = await setUp({ ...alertTarget, alertSourceToken: 'wrong-token-123' });
    await h.enqueue(incidentRecord());
    const [result] = await h.worker.runOnce();
    expect(result).toMatchObject({ status: 'dead_letter', outcome: 'terminal', httpStatus: 401 });
    expect(result!.response!.errors).toEqual([{ code: 'missing_authorization_material', message: 'No authorization material provided in request' }]);
    expect(result!.response!.requestId).toBe('8e3cc412-b49d-4957-9073-2c19d2c61804');
    expect(result!.error).toBe('http_401: missing_authorization_material: No authorization material provided in request');
    expect(JSON.stringify(result)).not.toContain('wrong-token-123');
    expect(standIn.requests).toHaveLength(1);
  });

  it('retries 429 after incident.io’s Retry-After date and holds back the whole alert source meanwhile', async () => {
    const { h, standIn } = await setUp(alertTarget);
    const tooMany = incidentIoFixture('error.429.response');
    const retryAt = Date.parse('Mon, 10 Jun 2024 08:46:18 GMT');
    standIn.respondWith({ status: 429, headers: { 'content-type': 'application/json', 'retry-after': 'Mon, 10 Jun 2024 08:46:18 GMT' }, body: JSON.stringify(tooMany) });
    await h.enqueue(incidentRecord());
    const [limited] = await h.worker.runOnce();
    expect(limited).toMatchObject({ status: 'retry_scheduled', httpStatus: 429, nextAttemptAt: retryAt });
    expect(limited!.response!.errors).toEqual([{ code: 'too_many_requests', message: 'Too many requests. We recommend exponential backoff.' }]);
    await h.enqueue(incidentRecord({ id: 'inc_second' }, { dedupeKey: 'jira:acme.atlassian.net:SEC-143', externalId: 'SEC-143' }));
    expect(await h.worker.runOnce()).toEqual([]);
    expect((await destinationHealth(h.store, 't1', 'iio-alerts')).pausedUntil).toBe(retryAt);
    h.clock.advance(retryAt - START);
    expect((await h.worker.runOnce()).map((result) => result.status)).toEqual(['delivered', 'delivered']);
    expect(standIn.contractViolations).toEqual([]);
  });

  it('stays under incident.io’s 120 events/min per alert source by default, where an unpaced sender is refused', async () => {
    const burst = async (policy: Record<string, unknown>) => {
      const { h, standIn } = await setUp({ ...alertTarget, policy }, { alertEventsPerMinute: 120 });
      for (let n = 0; n < 300; n++) await h.enqueue(incidentRecord({ id: `inc_${n}` }, { dedupeKey: `jira:acme.atlassian.net:SEC-${n}` }));
      for (let second = 0; second < 240 && h.results.filter((result) => result.status === 'delivered').length < 300; second++) {
        await h.worker.runUntilIdle();
        h.clock.advance(1_000);
      }
      return { h, standIn };
    };
    const paced = await burst({});
    expect(paced.standIn.rateLimited).toBe(0);
    expect(paced.h.results.every((result) => result.status === 'delivered')).toBe(true);
    expect(paced.h.results).toHaveLength(300);
    expect(paced.h.clock.now() - START).toBeGreaterThanOrEqual(140_000);

    const unpaced = await burst({ rateLimit: null, ordering: 'none' });
    expect(unpaced.standIn.rateLimited).toBeGreaterThan(0);
    expect(unpaced.h.results.filter((result) => result.status === 'delivered')).toHaveLength(300);
    expect(unpaced.h.results.filter((result) => result.status === 'dead_letter')).toHaveLength(0);
    expect(unpaced.standIn.contractViolations).toEqual([]);
  });

  it('falls back to the body’s rate_limit.retry_after when a 429 has no Retry-After header', async () => {
    const { h, standIn } = await setUp(alertTarget);
    standIn.respondWith({ status: 429, headers: { 'content-type': 'application/json' }, body: JSON.stringify(incidentIoFixture('error.429.response')) });
    await h.enqueue(incidentRecord());
    expect((await h.worker.runOnce())[0]!.nextAttemptAt).toBe(Date.parse('Mon, 10 Jun 2024 08:46:18 GMT'));
  });

  it('creates an incident, remembers its id, then edits it through /actions/edit', async () => {
    const { h, standIn } = await setUp(INCIDENT_TARGET);
    const opened = incidentRecord();
    await h.enqueue(opened);
    const escalated = nextVersion(opened, { severity: 'high', status: 'resolved' }, RESOLVED_AT);
    await h.enqueue(escalated);
    const [created] = await h.worker.runOnce();
    expect(created).toMatchObject({ status: 'delivered', httpStatus: 200, eventKind: 'incident.created' });
    const incidentId = created!.remoteId!;
    expect(incidentId).toMatch(/^01HZ/);
    const [edited] = await h.worker.runOnce();
    expect(edited).toMatchObject({ status: 'delivered', httpStatus: 200, eventKind: 'incident.resolved', remoteId: incidentId });
    expect(standIn.contractViolations).toEqual([]);
    expect(standIn.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /v2/incidents', `POST /v2/incidents/${incidentId}/actions/edit`]);
    expect(standIn.requests[0]!.body).toEqual(incidentIoFixture('create_incident.request'));
    expect(standIn.requests[1]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(standIn.incident(incidentId)).toMatchObject({ severity_id: '01FH5TZRWMNAFB0DZ23FD1TV95', incident_status_id: '01FCNDV6P870EA6S7TK1DSYD9Z' });
    const refs = await h.store.transaction((r) => r.remoteRefs.forIncident('t1', 'incident-io', opened.id));
    expect(refs).toEqual({ [INCIDENT_IO_INCIDENT_ID]: incidentId });
  });

  it('looks severities up by name once and caches them', async () => {
    const { h, standIn } = await setUp({ ...INCIDENT_TARGET, severityIds: {}, severityNames: { critical: 'critical' } });
    await h.enqueue(incidentRecord());
    await h.enqueue(incidentRecord({ id: 'inc_b' }, { dedupeKey: 'jira:acme.atlassian.net:SEC-7', severity: 'high' }));
    const results = await h.worker.runOnce();
    expect(results.map((result) => result.status)).toEqual(['delivered', 'delivered']);
    expect(standIn.requests.filter((request) => request.path === '/v1/severities')).toHaveLength(1);
    const severities = standIn.requests.filter((request) => request.path === '/v2/incidents').map((request) => (request.body as { severity_id: string }).severity_id);
    expect(severities.sort()).toEqual(['01FH5TZRWMNAFB0DZ23FD1TV95', '01FH5TZRWMNAFB0DZ23FD1TV96']);
  });

  it('dead-letters a severity incident.io does not have, naming the fix', async () => {
    const { h } = await setUp({ ...INCIDENT_TARGET, severityIds: {}, severityNames: { critical: 'SEV0' } });
    await h.enqueue(incidentRecord());
    const [result] = await h.worker.runOnce();
    expect(result).toMatchObject({ status: 'dead_letter', reason: 'severity_not_found' });
    expect(result!.error).toContain('no severity named "SEV0"');
  });

  it('surfaces a 422 with errors[].code/message/field and does not retry it', async () => {
    const { h, standIn } = await setUp(INCIDENT_TARGET);
    standIn.respondWith({ status: 422, headers: { 'content-type': 'application/json' }, body: JSON.stringify(incidentIoFixture('error.422.response')) });
    await h.enqueue(incidentRecord());
    const [result] = await h.worker.runOnce();
    expect(result).toMatchObject({ status: 'dead_letter', outcome: 'terminal', httpStatus: 422 });
    expect(result!.response!.errors).toEqual([{ code: 'is_required', message: 'A severity is required to open an incident', field: 'severity_id' }]);
    expect(result!.error).toBe('http_422: is_required: A severity is required to open an incident (severity_id)');
    const details = await deliveryDetails(h.store, 't1', result!.deliveryId);
    expect(details!.delivery.lastError).toBe(result!.error);
    expect(details!.attempts[0]!.summary).toMatchObject({ response: { errors: result!.response!.errors } });
  });

  it('creates once even when the creation is retried after a lost answer (idempotency key)', async () => {
    const { h, standIn } = await setUp({ ...INCIDENT_TARGET, policy: { timeoutMs: 300 } });
    standIn.respondWith({ status: 502 });
    await h.enqueue(incidentRecord());
    expect((await h.worker.runOnce())[0]).toMatchObject({ status: 'retry_scheduled', httpStatus: 502 });
    h.clock.advance(60_000);
    const [created] = await h.worker.runOnce();
    expect(created!.status).toBe('delivered');
    const creations = standIn.requests.filter((request) => request.path === '/v2/incidents');
    expect(new Set(creations.map((request) => (request.body as { idempotency_key: string }).idempotency_key))).toEqual(new Set(['jira:acme.atlassian.net:SEC-142']));
  });
});
