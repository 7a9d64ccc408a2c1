import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sourceHealth } from '../../core/sources/source-admin';
import { openSqliteStore } from '../../core/store/sqlite/open-sqlite-store';
import { IncidentIntakeTrigger } from '../../nodes/IncidentIntakeTrigger/IncidentIntakeTrigger.node';
import { RECHECK_MS } from '../../nodes/shared/intake-runtime';
import { leasedStoreCount } from '../../nodes/shared/store-cache';
import { hookContext, nodeType, reads, webhookContext, type ContextOptions, type WebhookRequestOptions } from './support/fake-context';
import { genericEvent, newWebhookSecret, signed, tempStore } from './support/fixtures';

const trigger = new IncidentIntakeTrigger();
const secret = newWebhookSecret();
let store: Awaited<ReturnType<typeof tempStore>>;

function options(parameters: Record<string, unknown> = {}): ContextOptions {
  return {
    parameters: { path: '', sourceId: 'partner-alerts', provider: 'generic', mode: 'review', severityFilter: [], mapping: {}, limits: {}, sourceOptions: {}, options: { binaryData: true }, ...parameters },
    credentials: { incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret }, incidentIntakeStoreApi: store.credential },
  };
}

async function post(body: unknown, parameters: Record<string, unknown> = {}, request: WebhookRequestOptions = signed(secret, body), credentials?: ContextOptions['credentials']) {
  const context = webhookContext({ ...options(parameters), ...(credentials && { credentials }), ...request });
  const result = await trigger.webhook.call(context);
  await context.response.ended;
  return { result, response: context.response };
}

beforeEach(async () => {
  store = await tempStore();
});

afterEach(async () => {
  await trigger.webhookMethods.default.delete.call(hookContext(options()));
  await store.cleanup();
});

describe('Incident Intake Trigger webhook', () => {
  it('answers 202 itself and routes a new event to the Review output', async () => {
    const { result, response } = await post(genericEvent('ext-1'));
    expect(response.statusCode).toBe(202);
    expect(response.body).toMatchObject({ outcome: 'accepted', events: [{ state: 'pending_review' }] });
    expect(result.noWebhookResponse).toBe(true);
    const [review, incident, quarantined] = result.workflowData!;
    expect(review).toEqual([{ json: expect.objectContaining({ state: 'pending_review', sourceId: 'partner-alerts', candidate: expect.objectContaining({ title: 'Checkout errors ext-1' }) }) }]);
    expect(incident).toEqual([]);
    expect(quarantined).toEqual([]);
  });

  it('routes auto-created incidents to the Incident output with the change', async () => {
    const { result, response } = await post(genericEvent('ext-2'), { mode: 'auto-create' });
    expect(response.statusCode).toBe(202);
    expect(result.workflowData![1]).toEqual([{ json: expect.objectContaining({ change: 'created', id: expect.stringMatching(/^inc_/), title: 'Checkout errors ext-2', version: 1 }) }]);
    expect(result.workflowData![1][0]!.json.canonical).toMatchObject({ detectedAt: '2026-11-23T08:00:00.000Z', detectedAtSource: 'payload' });
  });

  it('enqueues each incident change for the delivery nodes wired after it, in the intake transaction', async () => {
    const downstream = [
      { name: 'Deliver to receiver', type: nodeType('signedWebhook'), parameters: { url: 'https://receiver.example.com/in', destinationId: 'ops-receiver' }, direct: true },
      { name: 'After a filter', type: nodeType('signedWebhook'), parameters: { url: 'https://other.example.com/in', destinationId: 'filtered' }, direct: false },
    ];
    const context = webhookContext({ ...options({ mode: 'auto-create' }), downstream, ...signed(secret, genericEvent('ext-wired')) });
    const result = await trigger.webhook.call(context);
    await context.response.ended;
    const incident = result.workflowData![1][0]!.json as { id: string; version: number };
    // The delivery node never ran (as when a queue-mode worker dies before it): the delivery is in the outbox anyway.
    const sqlite = await openSqliteStore(store.path);
    try {
      const deliveries = await sqlite.transaction((r) => r.deliveries.list('default'));
      expect(deliveries.map(({ destinationId, incidentId, eventVersion, eventKind, state }) => ({ destinationId, incidentId, eventVersion, eventKind, state }))).toEqual([
        { destinationId: 'ops-receiver', incidentId: incident.id, eventVersion: 1, eventKind: 'incident.created', state: 'scheduled' },
      ]);
    } finally {
      await sqlite.close();
    }
  });

  it('says on the Review output when detectedAt is the envelope time or only the receipt time', async () => {
    const { result } = await post({ type: 'incident.created', timestamp: '2026-11-23T08:05:00Z', data: { id: 'no-time', title: 'No time given', severity: 'high' } });
    expect(result.workflowData![0]).toEqual([{ json: expect.objectContaining({ candidate: expect.objectContaining({ detectedAtSource: 'sent-at' }) }) }]);
    const bare = await post({ title: 'Bare body', severity: 'high', dedup_key: 'bare-1' });
    expect(bare.result.workflowData![0]).toEqual([{ json: expect.objectContaining({ candidate: expect.objectContaining({ detectedAtSource: 'received' }) }) }]);
  });

  it('routes quarantined events to the Quarantined output', async () => {
    const { result, response } = await post({ type: 'incident.created', data: { id: 'only-an-id' } });
    expect(response.statusCode).toBe(202);
    expect(response.body).toMatchObject({ outcome: 'quarantined' });
    expect(result.workflowData![2]).toEqual([{ json: expect.objectContaining({ state: 'quarantined', reasons: expect.any(Array) }) }]);
  });

  it('rejects a bad signature with 401 and starts no execution', async () => {
    const { result, response } = await post(genericEvent('ext-3'), {}, signed(newWebhookSecret(), genericEvent('ext-3')));
    expect(response.statusCode).toBe(401);
    expect(response.body).toMatchObject({ outcome: 'unauthorized' });
    expect(result).toEqual({ noWebhookResponse: true });
  });

  it('answers 413 above the body limit without an execution', async () => {
    const { result, response } = await post(genericEvent('ext-4', { description: 'x'.repeat(3000) }), { limits: { maxBodyKb: 2 } });
    expect(response.statusCode).toBe(413);
    expect(result.workflowData).toBeUndefined();
  });

  it('answers 429 with Retry-After once the tenant budget is spent', async () => {
    await post(genericEvent('ext-5'), { limits: { tenantPerDay: 1 } });
    const { result, response } = await post(genericEvent('ext-6'), { limits: { tenantPerDay: 1 } });
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(result.workflowData).toBeUndefined();
  });

  it('answers a resent message as a duplicate without an execution', async () => {
    const request = signed(secret, genericEvent('ext-7'));
    await post(undefined, {}, request);
    const { result, response } = await post(undefined, {}, request);
    expect(response.statusCode).toBe(202);
    expect(response.body).toMatchObject({ outcome: 'duplicate' });
    expect(result.workflowData).toBeUndefined();
  });

  it('answers 503 while the source is disabled, and never echoes the secret', async () => {
    const { response: first } = await post(genericEvent('ext-8'));
    expect(first.statusCode).toBe(202);
    const sqlite = await openSqliteStore(store.path);
    await sqlite.transaction((r) => r.sources.disable('default', 'partner-alerts', 'maintenance', Date.now()));
    await sqlite.close();
    const { result, response } = await post(genericEvent('ext-9'));
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('300');
    expect(result.workflowData).toBeUndefined();
    expect(JSON.stringify(response.body)).not.toContain(secret);
  });

  it('answers 503 for a mapping that does not compile, without an execution', async () => {
    const { result, response } = await post(genericEvent('ext-10'), { mapping: { expression: '$$.(' } });
    expect(response.statusCode).toBe(503);
    expect(result.workflowData).toBeUndefined();
  });
});

describe('Incident Intake Trigger reads the raw request itself', () => {
  it('answers 415 to multipart/form-data, unread', async () => {
    const body = Buffer.from('--x\r\n\r\n{}\r\n--x--');
    const { headers } = signed(secret, body);
    const { response } = await post(undefined, {}, { rawBody: body, headers: { ...headers, 'content-type': 'multipart/form-data; boundary=x' } });
    expect(response.statusCode).toBe(415);
    expect(response.body).toMatchObject({ outcome: 'unsupported_media_type' });
  });

  it('refuses a compressed body with 415 instead of inflating it', async () => {
    const request = signed(secret, genericEvent('ext-gz'));
    const { response } = await post(undefined, {}, { rawBody: gzipSync(request.rawBody), headers: { ...request.headers, 'content-encoding': 'gzip' } });
    expect(response.statusCode).toBe(415);
    expect(response.headers.connection).toBe('close');
  });

  it('keeps malformed JSON in quarantine with 400 (after authentication)', async () => {
    const raw = Buffer.from('{"type":"incident.created","data":{"id":');
    const { response } = await post(undefined, {}, signed(secret, raw));
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({ outcome: 'malformed' });
  });

  it('sees a signature header sent twice as a duplicate (headersDistinct), not as one joined value', async () => {
    const request = signed(secret, genericEvent('ext-dup'));
    const { response } = await post(undefined, {}, { ...request, headers: { ...request.headers, 'webhook-signature': [request.headers['webhook-signature']!, request.headers['webhook-signature']!] } });
    expect(response.statusCode).toBe(401);
    expect(JSON.stringify(response.body)).toContain('more than once');
  });

  it('still works when n8n has read the body already (a node saved with its own `options` value)', async () => {
    const request = signed(secret, genericEvent('ext-legacy'));
    const { response } = await post(undefined, { options: { tenant: 'legacy-tenant' } }, { ...request, body: 'read-by-n8n' });
    expect(response.statusCode).toBe(202);
    const sqlite = await openSqliteStore(store.path);
    expect((await sourceHealth(sqlite, 'legacy-tenant', 'partner-alerts')).source.enabled).toBe(true);
    await sqlite.close();
  });
});

describe('Incident Intake Trigger runtime without the activation hook (n8n restarted with the workflow published)', () => {
  it('opens the store on the first request and keeps it, reading parameters and credentials once', async () => {
    reads.credentials = 0;
    expect(leasedStoreCount()).toBe(0);
    for (const id of ['lazy-1', 'lazy-2', 'lazy-3']) {
      const { response } = await post(genericEvent(id));
      expect(response.statusCode).toBe(202);
      expect(leasedStoreCount()).toBe(1);
    }
    expect(reads.credentials).toBe(2);
    expect(await trigger.webhookMethods.default.checkExists.call(hookContext(options()))).toBe(true);
    await trigger.webhookMethods.default.delete.call(hookContext(options()));
    expect(leasedStoreCount()).toBe(0);
  });

  it('rebuilds at once when a parameter changes', async () => {
    expect((await post(genericEvent('p-1', { description: 'x'.repeat(3000) }))).response.statusCode).toBe(202);
    expect((await post(genericEvent('p-2', { description: 'x'.repeat(3000) }), { limits: { maxBodyKb: 2 } })).response.statusCode).toBe(413);
    expect(leasedStoreCount()).toBe(1);
  });

  it('takes a changed credential within the recheck interval', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      expect((await post(genericEvent('c-1'))).response.statusCode).toBe(202);
      const rotated = newWebhookSecret();
      const credentials = { ...options().credentials, incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret: rotated } };
      vi.setSystemTime(Date.now() + RECHECK_MS + 1);
      expect((await post(undefined, {}, signed(rotated, genericEvent('c-2')), credentials)).response.statusCode).toBe(202);
      expect((await post(genericEvent('c-3'), {}, undefined, credentials)).response.statusCode).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('opens the store once for concurrent first requests', async () => {
    const answers = await Promise.all(['k-1', 'k-2', 'k-3', 'k-4'].map((id) => post(genericEvent(id))));
    expect(answers.map(({ response }) => response.statusCode)).toEqual([202, 202, 202, 202]);
    expect(leasedStoreCount()).toBe(1);
  });
});

describe('Incident Intake Trigger activation (webhookMethods)', () => {
  it('registers the source on create, reports it on checkExists and gives its store lease back on delete', async () => {
    const hooks = trigger.webhookMethods.default;
    expect(await hooks.checkExists.call(hookContext(options()))).toBe(false);
    expect(await hooks.create.call(hookContext(options()))).toBe(true);
    expect(await hooks.checkExists.call(hookContext(options()))).toBe(true);
    const sqlite = await openSqliteStore(store.path);
    expect((await sourceHealth(sqlite, 'default', 'partner-alerts')).source.enabled).toBe(true);
    await sqlite.close();
    expect(await hooks.delete.call(hookContext(options()))).toBe(true);
    expect(await hooks.checkExists.call(hookContext(options()))).toBe(false);
    expect(leasedStoreCount()).toBe(0);
  });

  it('keeps a test listener and the production webhook apart', async () => {
    const hooks = trigger.webhookMethods.default;
    await hooks.create.call(hookContext({ ...options(), mode: 'webhook' }));
    await hooks.create.call(hookContext({ ...options(), mode: 'manual' }));
    await hooks.delete.call(hookContext({ ...options(), mode: 'manual' }));
    expect(await hooks.checkExists.call(hookContext({ ...options(), mode: 'webhook' }))).toBe(true);
  });

  it('refuses to activate an invalid source', async () => {
    await expect(trigger.webhookMethods.default.create.call(hookContext(options({ sourceId: 'has spaces' })))).rejects.toThrow(/id/);
  });
});
