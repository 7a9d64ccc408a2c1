import { randomBytes } from 'node:crypto';
import { NodeOperationError } from 'n8n-workflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IncidentIntake } from '../../nodes/IncidentIntake/IncidentIntake.node';
import { IncidentIntakeTrigger } from '../../nodes/IncidentIntakeTrigger/IncidentIntakeTrigger.node';
import { openSqliteStore } from '../../core/store/sqlite/open-sqlite-store';
import { leasedStoreCount } from '../../nodes/shared/store-cache';
import { executeContext, hookContext, nodeType, webhookContext } from './support/fake-context';
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
    expect(leasedStoreCount()).toBe(1);
    await trigger.webhookMethods.default.delete.call(hookContext({ parameters: triggerParameters(), credentials: credentials() }));
    expect(leasedStoreCount()).toBe(0);
  });

  it('enqueues a promoted incident for the delivery nodes wired after Promote, in the promote transaction', async () => {
    const [[review]] = await receive(genericEvent('ext-wired')) as unknown as [[{ json: { id: string } }]];
    const downstream = [{ name: 'Deliver promoted incident', type: nodeType('signedWebhook'), parameters: { url: 'https://receiver.example.com/in', destinationId: 'ops-receiver' }, direct: true }];
    const [[item]] = await node.execute.call(executeContext({ parameters: { tenant: 'default', resource: 'event', operation: 'promote', eventId: review.json.id, actor: 'alice', reason: 'real outage' }, credentials: credentials(), downstream }));
    const sqlite = await openSqliteStore(store.path);
    try {
      const deliveries = await sqlite.transaction((r) => r.deliveries.list('default'));
      expect(deliveries).toEqual([expect.objectContaining({ destinationId: 'ops-receiver', incidentId: item!.json.id, eventVersion: 1, state: 'scheduled' })]);
    } finally {
      await sqlite.close();
    }
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

  describe('rotation through the credential (the store keeps the replaced secret sealed)', () => {
    const outboxKey = randomBytes(32).toString('base64');
    const withKey = (sourceSecret: string, extra: Record<string, unknown> = {}) => ({
      incidentIntakeStoreApi: { ...store.credential, outboxEncryptionKey: outboxKey },
      incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret: sourceSecret, ...extra },
    });
    /** A fresh trigger runtime, as n8n gives one after the 5-second credential recheck. */
    async function receiveWith(creds: Record<string, Record<string, unknown>>, signingSecret: string, id: string) {
      await trigger.webhookMethods.default.delete.call(hookContext({ parameters: triggerParameters(), credentials: creds }));
      const context = webhookContext({ parameters: triggerParameters(), credentials: creds, ...signed(signingSecret, genericEvent(id)) });
      await trigger.webhook.call(context);
      await context.response.ended;
      return context.response.statusCode;
    }
    const auditOf = async () => (await run({ resource: 'event', operation: 'listReviewQueue', limit: 1 }, { credentials: withKey(secret) }), readAudit());
    const readAudit = async () => {
      const { openSqliteStore } = await import('../../core/store');
      const opened = await openSqliteStore(store.path);
      try {
        return await opened.transaction((r) => r.audit.forSubject('default', 'source', 'partner-alerts'));
      } finally {
        await opened.close();
      }
    };

    it('Rotate Secret takes the new secret up with a grace, then revokes the old one; outputs no secret', async () => {
      const next = newWebhookSecret();
      expect(await receiveWith(withKey(secret), secret, 'rot-1')).toBe(202);
      const [rotated] = await run({ resource: 'source', operation: 'rotateSecret', sourceId: 'partner-alerts', actor: 'ops', replacedSecret: 'grace', graceHours: 2 }, { credentials: withKey(next) });
      expect(rotated).toMatchObject({ sourceId: 'partner-alerts', rotated: true, replacedSecrets: 1, liveSecrets: 2, replacedSecretRevoked: false });
      expect(Date.parse(rotated.previousValidUntil)).toBeGreaterThan(Date.now() + 3_600_000);
      expect(await receiveWith(withKey(next), secret, 'rot-2')).toBe(202);
      expect(await receiveWith(withKey(next), next, 'rot-3')).toBe(202);
      const [health] = await run({ resource: 'source', operation: 'getHealth', sourceId: 'partner-alerts' }, { credentials: withKey(next) });
      expect(health.secrets).toMatchObject({ lastUsed: 'current', senderSwitched: true });

      const [revoked] = await run({ resource: 'source', operation: 'rotateSecret', sourceId: 'partner-alerts', actor: 'oncall', replacedSecret: 'revoke' }, { credentials: withKey(next) });
      expect(revoked).toMatchObject({ rotated: false, replacedSecrets: 1, liveSecrets: 1, replacedSecretRevoked: true, previousValidUntil: null });
      expect(await receiveWith(withKey(next), secret, 'rot-4')).toBe(401);
      expect(await receiveWith(withKey(next), next, 'rot-5')).toBe(202);
      const audit = await auditOf();
      expect(audit.map((entry) => [entry.action, entry.actor])).toEqual(expect.arrayContaining([['source.secret_rotated', 'ops'], ['source.secret_revoked', 'oncall']]));
      for (const value of [secret, next]) expect(JSON.stringify([rotated, revoked, health, audit])).not.toContain(value);
    });

    it('a trigger that sees the Secret replaced rotates by itself, with the grace from the credential', async () => {
      const next = newWebhookSecret();
      expect(await receiveWith(withKey(secret), secret, 'auto-1')).toBe(202);
      expect(await receiveWith(withKey(next, { rotationGraceHours: 1 }), secret, 'auto-2')).toBe(202);
      expect(await receiveWith(withKey(next, { rotationGraceHours: 1 }), next, 'auto-3')).toBe(202);
      const rotation = (await readAudit()).find((entry) => entry.action === 'source.secret_rotated')!;
      expect(rotation).toMatchObject({ actor: 'n8n: source auth credential changed', details: { replaced: 1 } });
      expect(Date.parse(String(rotation.details.previousValidUntil)) - rotation.at).toBe(3_600_000);
    });

    it('refuses a malformed new secret in the credential and keeps the old one live', async () => {
      expect(await receiveWith(withKey(secret), secret, 'bad-1')).toBe(202);
      expect(await receiveWith(withKey('whsec_c2hvcnQ='), secret, 'bad-2')).toBe(202);
      const [health] = await run({ resource: 'source', operation: 'getHealth', sourceId: 'partner-alerts' }, { credentials: withKey(secret) });
      expect(health.source.lastError).toMatch(/^rotation refused: the new secret was refused, the current secret stays live: a Standard Webhooks key is 24 to 64 bytes/);
      expect((await readAudit()).map((entry) => entry.action)).toContain('source.secret_rotation_refused');
      const failure = run({ resource: 'source', operation: 'rotateSecret', sourceId: 'partner-alerts', actor: 'ops', replacedSecret: 'grace', graceHours: 1 }, { credentials: withKey('whsec_c2hvcnQ=') });
      await expect(failure).rejects.toThrow(/refused/);
    });

    it('needs the encryption key in the store credential', async () => {
      await receive(genericEvent('nokey'));
      const failure = run({ resource: 'source', operation: 'rotateSecret', sourceId: 'partner-alerts', actor: 'ops', replacedSecret: 'revoke' });
      await expect(failure).rejects.toThrow(/Outbox Encryption Key/);
    });
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
    const submittedAt = new Date().toISOString();
    const [submitted] = await run({ resource: 'incident', operation: 'recordSubmission', incidentId: id, report: 'dora.initial', submittedAt, reference: 'NCA-42', actor: 'ciso' });
    expect(submitted.milestones).toEqual({ doraInitialSubmittedAt: Date.parse(submittedAt) });
    expect(submitted.report).toMatchObject({ kind: 'dora.initial', reference: 'NCA-42', submittedBy: 'ciso' });
    // a workflow saved with the older milestone names still records the report
    const [legacy] = await run({ resource: 'incident', operation: 'recordSubmission', incidentId: id, report: 'nis2NotificationSubmittedAt', submittedAt, actor: 'ciso' });
    expect(legacy.report.kind).toBe('nis2.notification');
    await expect(run({ resource: 'incident', operation: 'recordSubmission', incidentId: id, report: 'dora.final', submittedAt, actor: 'ciso' })).rejects.toThrow(/needs the dora.intermediate report recorded first/);
    const reports = await run({ resource: 'incident', operation: 'listReports', incidentId: id });
    expect(reports.map((report) => report.kind)).toEqual(['dora.initial', 'nis2.notification']);
    const [trust] = await run({ resource: 'incident', operation: 'getDeadlines', incidentId: id, deadlineOptions: { trustServiceProvider: true, doraWeekendRelief: true, doraEntity: 'credit-institution', holidays: '2026-12-25' } });
    expect(trust.nis2[1]).toMatchObject({ report: 'nis2.notification', basis: 'awareness + 24 h' });
    await expect(run({ resource: 'incident', operation: 'getDeadlines', incidentId: id, deadlineOptions: { holidays: 'christmas' } })).rejects.toThrow(/not a YYYY-MM-DD date/);
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
