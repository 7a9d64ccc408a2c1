import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryDetails, destinationHealth, type DestinationConfigInput } from '../../core/delivery';
import { closedPortUrl } from './support/http-server';
import { harness, START, type Harness } from './support/harness';
import { incidentRecord, nextVersion } from './support/incidents';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MINUTE = 60_000;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function setUp(destination: Partial<DestinationConfigInput> = {}, receiverOptions: { secret?: string } = { secret: SECRET }) {
  let h: Harness | undefined;
  const receiver = await WebhookReceiver.start({ ...receiverOptions, now: () => h!.clock.now() });
  const config = { kind: 'webhook', id: 'ops-hook', tenant: 't1', url: `${receiver.url}/hooks/incidents`, signing: { secret: SECRET }, ...destination } as DestinationConfigInput;
  h = await harness([config]);
  cleanup.push(() => receiver.close(), () => h!.close());
  return { h, receiver, config };
}

describe('generic webhook delivery', () => {
  it('delivers a Standard Webhooks-signed JSON body that the official library verifies', async () => {
    const { h, receiver } = await setUp();
    await h.enqueue(incidentRecord());
    const [result] = await h.worker.runOnce();
    expect(result).toMatchObject({ status: 'delivered', final: true, httpStatus: 204, attempt: 1, eventKind: 'incident.created', destinationKind: 'webhook' });
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    expect(request.verified).toBe(true);
    expect(request.method).toBe('POST');
    expect(request.headers['webhook-id']).toBe(result!.idempotencyKey);
    expect(request.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({ type: 'incident.created', timestamp: new Date(START).toISOString(), data: { id: 'inc_01J02Z7Q3K8M5N2P4R6T8V0X2Z', version: 1, title: 'Payment API returning 503 for EU customers', severity: 'critical' } });
    expect(h.results).toEqual([result]);
  });

  it('signs with hex HMAC for legacy receivers, or not at all when chosen', async () => {
    const legacy = await setUp({ signing: { scheme: 'hmac-hex', secret: 'legacy-secret-0123', header: 'X-Hub-Signature' }, method: 'PUT' }, {});
    await legacy.h.enqueue(incidentRecord());
    await legacy.h.worker.runOnce();
    const signed = legacy.receiver.requests[0]!;
    expect(signed.method).toBe('PUT');
    expect(signed.headers['x-hub-signature']).toBe(createHmac('sha256', 'legacy-secret-0123').update(signed.body).digest('hex'));
    expect(signed.headers['webhook-id']).toMatch(/^msg_/);

    const unsigned = await setUp({ signing: { scheme: 'none' }, method: 'PATCH' }, {});
    await unsigned.h.enqueue(incidentRecord());
    await unsigned.h.worker.runOnce();
    const plain = unsigned.receiver.requests[0]!;
    expect(plain.method).toBe('PATCH');
    expect(plain.headers['webhook-signature']).toBeUndefined();
    expect(plain.headers['webhook-id']).toMatch(/^msg_/);
  });

  it('adds extra headers, leaves out excluded attributes, and renders a JSONata body template', async () => {
    const { h, receiver } = await setUp({
      headers: { 'X-Team': 'payments', Authorization: 'Bearer receiver-token-42' },
      excludeAttributes: ['raw', 'regulatoryRefs'],
      bodyTemplate: '{"text": "[" & $uppercase(data.severity) & "] " & data.title, "systems": data.affectedSystems, "regulatory": data.regulatoryRefs, "kind": type}',
    });
    await h.enqueue(incidentRecord());
    const [result] = await h.worker.runOnce();
    expect(result!.status).toBe('delivered');
    const request = receiver.requests[0]!;
    expect(request.verified).toBe(true);
    expect(request.headers['x-team']).toBe('payments');
    expect(request.headers.authorization).toBe('Bearer receiver-token-42');
    expect(JSON.parse(request.body)).toEqual({ text: '[CRITICAL] Payment API returning 503 for EU customers', systems: ['payments-api', 'eu-west-1-edge'], kind: 'incident.created' });

    const plain = await setUp({ excludeAttributes: ['raw', 'sourceUrl'] });
    await plain.h.enqueue(incidentRecord());
    await plain.h.worker.runOnce();
    const data = JSON.parse(plain.receiver.requests[0]!.body).data;
    expect(data).not.toHaveProperty('raw');
    expect(data).not.toHaveProperty('sourceUrl');
    expect(data).toHaveProperty('regulatoryRefs');
  });

  it('dead-letters at once when the body template fails, without sending', async () => {
    const { h, receiver } = await setUp({ bodyTemplate: '$error("no route for " & data.title)' });
    await h.enqueue(incidentRecord());
    const [result] = await h.worker.runOnce();
    expect(result).toMatchObject({ status: 'dead_letter', outcome: 'terminal', reason: 'body_template_failed', httpStatus: null });
    expect(result!.error).toContain('no route for Payment API');
    expect(receiver.requests).toHaveLength(0);
  });

  it('retries a 500 on the schedule with the same webhook-id until it succeeds', async () => {
    const { h, receiver } = await setUp();
    receiver.respondWith({ status: 500, body: 'boom' }, { status: 502 }, { status: 503 });
    await h.enqueue(incidentRecord());
    const first = await h.worker.runOnce();
    expect(first[0]).toMatchObject({ status: 'retry_scheduled', httpStatus: 500, outcome: 'retry', nextAttemptAt: START + MINUTE });
    h.clock.advance(MINUTE - 1);
    expect(await h.worker.runOnce()).toEqual([]);
    h.clock.advance(1);
    expect((await h.worker.runOnce())[0]).toMatchObject({ status: 'retry_scheduled', httpStatus: 502, attempt: 2, nextAttemptAt: START + 6 * MINUTE });
    h.clock.advance(5 * MINUTE);
    expect((await h.worker.runOnce())[0]).toMatchObject({ status: 'retry_scheduled', httpStatus: 503, attempt: 3, nextAttemptAt: START + 21 * MINUTE });
    h.clock.advance(15 * MINUTE);
    expect((await h.worker.runOnce())[0]).toMatchObject({ status: 'delivered', httpStatus: 204, attempt: 4 });
    const ids = new Set(receiver.requests.map((request) => request.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect(receiver.requests.every((request) => request.verified)).toBe(true);
    const details = await deliveryDetails(h.store, 't1', h.results[0]!.deliveryId);
    expect(details!.attempts.map((attempt) => [attempt.number, attempt.httpStatus, attempt.outcome])).toEqual([
      [1, 500, 'retry'],
      [2, 502, 'retry'],
      [3, 503, 'retry'],
      [4, 204, 'success'],
    ]);
    expect(details!.attempts[0]!.summary).toMatchObject({ response: { status: 500, body: 'boom' } });
  });

  it('honours 429 Retry-After in seconds and as an HTTP date, and pauses the destination meanwhile', async () => {
    const { h, receiver } = await setUp();
    const inTwoMinutes = new Date(START + 2 * MINUTE).toUTCString();
    receiver.respondWith({ status: 429, headers: { 'retry-after': '7' } }, { status: 429, headers: { 'retry-after': inTwoMinutes } });
    await h.enqueue(incidentRecord());
    expect((await h.worker.runOnce())[0]).toMatchObject({ status: 'retry_scheduled', httpStatus: 429, nextAttemptAt: START + 7_000 });
    expect((await destinationHealth(h.store, 't1', 'ops-hook')).pausedUntil).toBe(START + 7_000);
    await h.enqueue(incidentRecord({ id: 'inc_other' }));
    expect(await h.worker.runOnce()).toEqual([]);
    h.clock.advance(7_000);
    const second = await h.worker.runOnce();
    expect(second.map((result) => result.status).sort()).toEqual(['delivered', 'retry_scheduled']);
    expect(second.find((result) => result.status === 'retry_scheduled')!.nextAttemptAt).toBe(START + 2 * MINUTE);
    h.clock.advance(2 * MINUTE - 7_000);
    expect((await h.worker.runOnce())[0]).toMatchObject({ status: 'delivered' });
  });

  it('retries a response slower than the timeout, a connection reset and a refused connection', async () => {
    const { h, receiver } = await setUp({ policy: { timeoutMs: 200 } });
    receiver.respondWith({ delayMs: 1_000, then: { status: 200 } }, { reset: true });
    await h.enqueue(incidentRecord());
    const timedOut = (await h.worker.runOnce())[0]!;
    expect(timedOut).toMatchObject({ status: 'retry_scheduled', reason: 'timeout', httpStatus: null });
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(150);
    expect(timedOut.durationMs).toBeLessThan(900);
    h.clock.advance(MINUTE);
    expect((await h.worker.runOnce())[0]).toMatchObject({ status: 'retry_scheduled', reason: 'connection_reset' });
    h.clock.advance(5 * MINUTE);
    expect((await h.worker.runOnce())[0]).toMatchObject({ status: 'delivered' });

    const refused = await harness([{ kind: 'webhook', id: 'gone', tenant: 't1', url: await closedPortUrl(), signing: { scheme: 'none' } }]);
    cleanup.push(() => refused.close());
    await refused.enqueue(incidentRecord());
    expect((await refused.worker.runOnce())[0]).toMatchObject({ status: 'retry_scheduled', reason: 'connection_refused' });
  });

  it('treats 3xx and other 4xx as terminal without following redirects', async () => {
    const { h, receiver } = await setUp();
    receiver.respondWith({ status: 301, headers: { location: 'https://elsewhere.example/?token=abc' } }, { status: 400, body: '{"error":"bad"}' });
    await h.enqueue(incidentRecord());
    await h.enqueue(incidentRecord({ id: 'inc_2' }));
    const results = await h.worker.runOnce();
    expect(results.map((result) => [result.httpStatus, result.status, result.outcome]).sort()).toEqual([
      [301, 'dead_letter', 'terminal'],
      [400, 'dead_letter', 'terminal'],
    ]);
    expect(receiver.requests).toHaveLength(2);
    expect(results.find((result) => result.httpStatus === 301)!.response!.headers.location).not.toContain('abc');
  });

  it('disables the destination on 410 and sends nothing more until it is enabled again', async () => {
    const { h, receiver } = await setUp({}, { secret: SECRET });
    receiver.respondWith({ status: 410 });
    await h.enqueue(incidentRecord());
    const [gone] = await h.worker.runOnce();
    expect(gone).toMatchObject({ status: 'dead_letter', httpStatus: 410, destinationDisabled: true });
    await h.enqueue(incidentRecord({ id: 'inc_2' }));
    expect(await h.worker.runOnce()).toEqual([]);
    const health = await destinationHealth(h.store, 't1', 'ops-hook');
    expect(health).toMatchObject({ enabled: false, disabledReason: 'receiver answered 410 Gone', active: 1, deadLettered: 1 });
    const { enableDestination } = await import('../../core/delivery');
    expect(await enableDestination(h.store, 't1', 'ops-hook', { clock: h.clock })).toBe(true);
    expect((await h.worker.runOnce())[0]).toMatchObject({ status: 'delivered' });
  });

  it('stops retrying when the receiver answers webhook-delivery: abort-message', async () => {
    const { h, receiver } = await setUp();
    receiver.respondWith({ status: 503, headers: { 'webhook-delivery': 'abort-message' } });
    await h.enqueue(incidentRecord());
    expect((await h.worker.runOnce())[0]).toMatchObject({ status: 'dead_letter', reason: 'aborted_by_receiver', httpStatus: 503 });
  });

  it('dead-letters after the last attempt, and replays one, a filtered set or all with the same key', async () => {
    const { h, receiver } = await setUp({ policy: { maxAttempts: 3, scheduleMs: [1_000, 2_000] } });
    receiver.alwaysRespond({ status: 503 });
    const a = await h.enqueue(incidentRecord({ id: 'inc_a' }));
    const b = await h.enqueue(incidentRecord({ id: 'inc_b' }));
    const c = await h.enqueue(incidentRecord({ id: 'inc_c' }));
    await h.worker.runOnce();
    h.clock.advance(1_000);
    await h.worker.runOnce();
    h.clock.advance(2_000);
    const last = await h.worker.runOnce();
    expect(last.map((result) => [result.status, result.attempt, result.final])).toEqual([
      ['dead_letter', 3, true],
      ['dead_letter', 3, true],
      ['dead_letter', 3, true],
    ]);
    expect(await destinationHealth(h.store, 't1', 'ops-hook')).toMatchObject({ deadLettered: 3, active: 0, lastResult: { status: 'dead_letter', httpStatus: 503 } });
    expect(receiver.requests).toHaveLength(9);

    const { replayDeadLetters } = await import('../../core/delivery');
    receiver.alwaysRespond({ status: 200 });
    expect(await replayDeadLetters(h.store, { tenant: 't1', destinationId: 'ops-hook', ids: [a] }, { clock: h.clock })).toEqual({ replayed: [a], skipped: [] });
    const replayed = await h.worker.runOnce();
    expect(replayed).toHaveLength(1);
    expect(replayed[0]).toMatchObject({ deliveryId: a, status: 'delivered', attempt: 1 });
    const keyOf = (id: string) => h.results.find((result) => result.deliveryId === id)!.idempotencyKey;
    const sentKeys = receiver.requests.filter((request) => request.headers['webhook-id'] === keyOf(a));
    expect(sentKeys).toHaveLength(4);

    expect(await replayDeadLetters(h.store, { tenant: 't1', destinationId: 'ops-hook', filter: { incidentId: 'inc_b' } }, { clock: h.clock })).toEqual({ replayed: [b], skipped: [] });
    expect(await replayDeadLetters(h.store, { tenant: 't1', destinationId: 'ops-hook' }, { clock: h.clock })).toEqual({ replayed: [c], skipped: [] });
    expect((await h.worker.runOnce()).map((result) => result.status)).toEqual(['delivered', 'delivered']);
    const details = await deliveryDetails(h.store, 't1', c);
    expect(details!.delivery).toMatchObject({ state: 'delivered', replays: 1, attempts: 1, totalAttempts: 4 });
    expect(details!.attempts.map((attempt) => attempt.number)).toEqual([1, 2, 3, 4]);
  });

  it('enqueues each change once and keeps per-incident order when asked', async () => {
    const { h, receiver } = await setUp({ policy: { ordering: 'per-incident' } });
    const v1 = incidentRecord();
    const v2 = nextVersion(v1, { severity: 'high' }, START + 1);
    const first = await h.enqueue(v1);
    expect(await h.enqueue(v1)).toBe(first);
    await h.enqueue(v2);
    receiver.respondWith({ status: 500 });
    expect((await h.worker.runOnce()).map((result) => [result.eventVersion, result.status])).toEqual([[1, 'retry_scheduled']]);
    h.clock.advance(MINUTE);
    expect((await h.worker.runOnce()).map((result) => [result.eventVersion, result.status])).toEqual([[1, 'delivered']]);
    expect((await h.worker.runOnce()).map((result) => [result.eventVersion, result.status, result.eventKind])).toEqual([[2, 'delivered', 'incident.updated']]);
    expect(receiver.requests.map((request) => JSON.parse(request.body).data.version)).toEqual([1, 1, 2]);
  });

  it('paces sends with the destination’s token bucket', async () => {
    const { h, receiver } = await setUp({ policy: { rateLimit: { perMinute: 60, burst: 2 } } });
    for (let n = 0; n < 5; n++) await h.enqueue(incidentRecord({ id: `inc_${n}` }));
    expect(await h.worker.runOnce()).toHaveLength(2);
    expect(await h.worker.runOnce()).toHaveLength(0);
    h.clock.advance(1_000);
    expect(await h.worker.runOnce()).toHaveLength(1);
    h.clock.advance(2_000);
    expect(await h.worker.runOnce()).toHaveLength(2);
    expect(receiver.requests).toHaveLength(5);
  });

  it('never writes a destination secret to the store or into a result, even when the receiver echoes it', async () => {
    const token = 'receiver-token-42';
    const { h, receiver } = await setUp({ headers: { Authorization: `Bearer ${token}` } });
    const config = { kind: 'webhook', id: 'query-hook', tenant: 't1', url: `${receiver.url}/hooks?token=querytoken99`, headers: { Authorization: `Bearer ${token}` }, signing: { secret: SECRET } } as const;
    const echo = JSON.stringify({ echo: { authorization: `Bearer ${token}` }, note: `signed with ${SECRET}, key ${token}` });
    receiver.respondWith({ status: 500, headers: { 'content-type': 'application/json', 'x-request-id': token, 'set-cookie': `s=${token}` }, body: echo });
    await h.enqueue(incidentRecord());
    await h.worker.runOnce();
    const second = await harness([config], { store: h.store });
    receiver.respondWith({ status: 400, headers: { 'content-type': 'text/plain' }, body: `raw ${token} querytoken99 ${SECRET}` });
    await second.enqueue(incidentRecord({ id: 'inc_q' }));
    await second.worker.runOnce();
    await second.worker.stop();
    expect(receiver.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
    const tables = ['destinations', 'deliveries', 'delivery_attempts', 'delivery_remote_refs'];
    const dump = await h.store.transaction(async (r) => {
      const sql = (r.deliveries as unknown as { sql: { all(q: string): Promise<unknown[]> } }).sql;
      return JSON.stringify(await Promise.all(tables.map((table) => sql.all(`SELECT * FROM ${table}`))));
    });
    const published = JSON.stringify([...h.results, ...second.results]);
    expect(dump).toContain('[redacted]');
    for (const secret of [token, 'querytoken99', SECRET]) {
      expect(dump).not.toContain(secret);
      expect(published).not.toContain(secret);
    }
    expect(h.results[0]!.response!.body).toContain('[redacted]');
  });
});
