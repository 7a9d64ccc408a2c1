import { NodeOperationError } from 'n8n-workflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IncidentIntake } from '../../nodes/IncidentIntake/IncidentIntake.node';
import { IncidentIntakeTrigger } from '../../nodes/IncidentIntakeTrigger/IncidentIntakeTrigger.node';
import { openStoreCount } from '../../nodes/shared/store-cache';
import { executeContext, hookContext, webhookContext } from './support/fake-context';
import { genericEvent, newWebhookSecret, signed, tempStore } from './support/fixtures';

const node = new IncidentIntake();
const trigger = new IncidentIntakeTrigger();
const secret = newWebhookSecret();
let store: Awaited<ReturnType<typeof tempStore>>;

const credentials = () => ({ incidentIntakeStoreApi: store.credential, incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret } });
const triggerParameters = (mode = 'review') => ({ path: '', sourceId: 'partner-alerts', provider: 'generic', mode, severityFilter: [], mapping: {}, limits: {}, sourceOptions: {}, options: { binaryData: true } });

async function receive(body: unknown, mode = 'review') {
  const context = webhookContext({ parameters: triggerParameters(mode), credentials: credentials(), ...signed(secret, body) });
  const result = await trigger.webhook.call(context);
  return result.workflowData!;
}

async function run(parameters: Record<string, unknown>, extra: { continueOnFail?: boolean; credentials?: Record<string, Record<string, unknown>> } = {}) {
  const [items] = await node.execute.call(executeContext({ parameters: { tenant: 'default', ...parameters }, credentials: extra.credentials ?? credentials(), continueOnFail: extra.continueOnFail }));
  return items!.map((item) => item.json as Record<string, any>);
}

beforeEach(async () => {
  store = await tempStore();
});

afterEach(async () => {
  await trigger.webhookMethods.default.delete.call(hookContext({ parameters: triggerParameters(), credentials: credentials() }));
  await store.cleanup();
});

describe('Incident Intake node: events', () => {
  it('lists the review queue, promotes an event into an incident and audits who did it', async () => {
    const [[review]] = await receive(genericEvent('ext-1')) as unknown as [[{ json: { id: string } }]];
    const queue = await run({ resource: 'event', operation: 'listReviewQueue', limit: 10 });
    expect(queue.map((event) => event.id)).toEqual([review.json.id]);
    const [promoted] = await run({ resource: 'event', operation: 'promote', eventId: review.json.id, actor: 'alice', reason: 'real outage' });
    expect(promoted).toMatchObject({ change: 'created', id: expect.stringMatching(/^inc_/), event: { state: 'promoted', decidedBy: 'alice' } });
    const [detail] = await run({ resource: 'event', operation: 'get', eventId: review.json.id });
    expect(detail.audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'event.promoted', actor: 'alice' })]));
    // The executions gave their store back; only the trigger, live until its delete hook, still holds it.
    expect(openStoreCount()).toBe(1);
    await trigger.webhookMethods.default.delete.call(hookContext({ parameters: triggerParameters(), credentials: credentials() }));
    expect(openStoreCount()).toBe(0);
  });

  it('rejects an event, and a second decision is a user-facing error', async () => {
    const [[review]] = await receive(genericEvent('ext-2')) as unknown as [[{ json: { id: string } }]];
    const [rejected] = await run({ resource: 'event', operation: 'reject', eventId: review.json.id, actor: 'bob', reason: 'test alert' });
    expect(rejected).toMatchObject({ state: 'rejected', decisionReason: 'test alert' });
    const failure = run({ resource: 'event', operation: 'promote', eventId: review.json.id, actor: 'bob', reason: 'changed my mind' });
    await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
    await expect(failure).rejects.toThrow(/not pending review/);
  });

  it('returns the error as an item with Continue On Fail', async () => {
    const [item] = await run({ resource: 'event', operation: 'get', eventId: 'evt_missing' }, { continueOnFail: true });
    expect(item).toEqual({ error: 'event evt_missing was not found' });
  });
});

describe('Incident Intake node: sources', () => {
  it('reports health, disables and force-enables a source, and lists quarantined events', async () => {
    await receive({ type: 'incident.created', data: { id: 'broken' } });
    const [health] = await run({ resource: 'source', operation: 'getHealth', sourceId: 'partner-alerts' });
    expect(health).toMatchObject({ source: { id: 'partner-alerts', enabled: true }, last24h: { quarantined: 1 } });
    const [disabled] = await run({ resource: 'source', operation: 'disable', sourceId: 'partner-alerts', actor: 'ops', reason: 'maintenance' });
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'maintenance' });
    await expect(run({ resource: 'source', operation: 'enable', sourceId: 'partner-alerts', actor: 'ops', force: false })).rejects.toThrow(/clean test event/);
    const [enabled] = await run({ resource: 'source', operation: 'enable', sourceId: 'partner-alerts', actor: 'ops', force: true });
    expect(enabled).toMatchObject({ enabled: true });
    const quarantined = await run({ resource: 'source', operation: 'listQuarantined', sourceId: 'partner-alerts', limit: 5 });
    expect(quarantined).toHaveLength(1);
  });

  it('rotates a secret: audits it and returns the grace end, never a secret', async () => {
    const previous = newWebhookSecret();
    const rotation = { incidentIntakeStoreApi: store.credential, incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret, previousSecret: previous } };
    const before = Date.now();
    const [result] = await run({ resource: 'source', operation: 'rotateSecret', sourceId: 'partner-alerts', actor: 'ops', graceHours: 2 }, { credentials: rotation });
    expect(result).toMatchObject({ sourceId: 'partner-alerts', liveSecrets: 2 });
    expect(Date.parse(result.previousSecretValidUntil)).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
    expect(JSON.stringify(result)).not.toContain(secret.slice(6, 20));
    expect(JSON.stringify(result)).not.toContain(previous.slice(6, 20));
  });
});

describe('Incident Intake node: incidents', () => {
  async function incidentId(): Promise<string> {
    const [, [created]] = (await receive(genericEvent(`ext-${Math.random()}`), 'auto-create')) as unknown as [[], [{ json: { id: string } }]];
    return created.json.id;
  }

  it('lists, gets, sets the owner and adds evidence', async () => {
    const id = await incidentId();
    expect((await run({ resource: 'incident', operation: 'list', view: 'active', limit: 10 })).map((incident) => incident.id)).toEqual([id]);
    expect(await run({ resource: 'incident', operation: 'list', view: 'recent', sinceHours: 1, limit: 10 })).toHaveLength(1);
    const [owned] = await run({ resource: 'incident', operation: 'setOwner', incidentId: id, owner: 'carol', actor: 'ops' });
    expect(owned.owner).toBe('carol');
    const [evidence] = await run({ resource: 'incident', operation: 'addEvidence', incidentId: id, evidenceKind: 'link', evidenceValue: 'https://status.example.com/1', actor: 'ops' });
    expect(evidence).toMatchObject({ kind: 'link', addedBy: 'ops' });
    const [detail] = await run({ resource: 'incident', operation: 'get', incidentId: id });
    expect(detail).toMatchObject({ incident: { id, owner: 'carol' }, evidence: [expect.objectContaining({ value: 'https://status.example.com/1' })] });
  });

  it('classifies as DORA major and NIS2 significant and reads the deadlines', async () => {
    const id = await incidentId();
    const [classified] = await run({ resource: 'incident', operation: 'classify', incidentId: id, doraMajor: true, nis2Significant: true, classifiedAt: '2026-11-23T10:00:00Z', actor: 'ciso' });
    expect(classified).toMatchObject({ doraMajor: true, nis2Significant: true, deadlines: expect.any(Object) });
    const [deadlines] = await run({ resource: 'incident', operation: 'getDeadlines', incidentId: id });
    expect(deadlines.incidentId).toBe(id);
    expect(JSON.stringify(deadlines)).toMatch(/dora/i);
    const [submitted] = await run({ resource: 'incident', operation: 'recordSubmission', incidentId: id, report: 'doraInitialSubmittedAt', submittedAt: '2026-11-23T12:00:00Z', actor: 'ciso' });
    expect(submitted.milestones).toEqual({ doraInitialSubmittedAt: Date.parse('2026-11-23T12:00:00Z') });
  });
});

describe('Incident Intake node: mapping preview', () => {
  it('tests a mapping on a sample payload without a store', async () => {
    const [preview] = await run(
      { resource: 'mapping', operation: 'test', provider: 'generic', severityFilter: [], mapping: { fieldOverrides: { override: [{ field: 'title', expression: '"[partner] " & $candidate.title' }] } }, samplePayload: JSON.stringify(genericEvent('ext-9')) },
      { credentials: {} },
    );
    expect(preview.candidates).toEqual([expect.objectContaining({ title: '[partner] Checkout errors ext-9' })]);
    expect(preview.quarantined).toEqual([]);
  });

  it.each([
    ['onemanage', { logId: 'log_1', level: 'FATAL', message: 'Out of memory', event: 'worker_crash', timestamp: 1624623123000 }, 'log:worker_crash'],
    ['nagios', { type: 'PROBLEM', host: 'web-1', service: 'HTTP', state: 'CRITICAL', output: 'down', timet: '1717999200', since: '1717998930' }, 'web-1!HTTP'],
    ['icinga', { type: 'RECOVERY', host: 'app-3', service: '', state: 'UP', output: 'PING OK', timet: '1718000400', since: '1718000395.871' }, 'app-3'],
  ])('previews the %s preset', async (provider, sample, externalId) => {
    const [preview] = await run({ resource: 'mapping', operation: 'test', provider, severityFilter: [], mapping: {}, samplePayload: JSON.stringify(sample) }, { credentials: {} });
    expect(preview.candidates).toEqual([expect.objectContaining({ provider, externalId, detectedAtSource: 'payload' })]);
  });

  it('reports a broken mapping as a node error', async () => {
    await expect(run({ resource: 'mapping', operation: 'test', provider: 'generic', mapping: { expression: '$$.(' }, samplePayload: '{}' }, { credentials: {} })).rejects.toBeInstanceOf(NodeOperationError);
  });
});
