import { NodeOperationError } from 'n8n-workflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from '../../core/delivery/retry-policy';
import { IncidentIntake } from '../../nodes/IncidentIntake/IncidentIntake.node';
import { IncidentIntakeTrigger } from '../../nodes/IncidentIntakeTrigger/IncidentIntakeTrigger.node';
import { SignedWebhook } from '../../nodes/SignedWebhook/SignedWebhook.node';
import { openSqliteStore } from '../../core/store';
import { deliveryPolicy, deliveryPolicyField } from '../../nodes/shared/delivery-policy-fields';
import { leasedStoreCount } from '../../nodes/shared/store-cache';
import { receiverStandIn } from './e2e/stand-ins';
import { executeContext, hookContext, webhookContext } from './support/fake-context';
import { genericEvent, newWebhookSecret, signed, tempStore } from './support/fixtures';

const intake = new IncidentIntakeTrigger();
const node = new IncidentIntake();
const secret = newWebhookSecret();
const signingSecret = newWebhookSecret();
const receiver = receiverStandIn();
let receiverUrl: string;
let store: Awaited<ReturnType<typeof tempStore>>;

const intakeParameters = { path: '', sourceId: 'partner-alerts', provider: 'generic', mode: 'auto-create', severityFilter: [], mapping: {}, limits: {}, sourceOptions: {}, options: { binaryData: true } };
const intakeCredentials = () => ({ incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret }, incidentIntakeStoreApi: store.credential });

async function newIncident(id: string): Promise<string> {
  const result = await intake.webhook.call(webhookContext({ parameters: intakeParameters, credentials: intakeCredentials(), ...signed(secret, genericEvent(id)) }));
  return (result.workflowData![1]![0]!.json as { id: string }).id;
}

/** Delivers the incident's current version once to the failing receiver: with one attempt allowed, it is dead-lettered at once. */
async function deadLetter(incidentId: string): Promise<string> {
  receiver.failNext(1, 0);
  return deliver(incidentId, 'dead_letter');
}

async function deliver(incidentId: string, expected: 'dead_letter' | 'delivered', policy: Record<string, unknown> = { maxAttempts: 1 }): Promise<string> {
  const [[item]] = await new SignedWebhook().execute.call(
    executeContext({
      parameters: { incidentId, url: `${receiverUrl}/hook`, method: 'POST', headers: {}, excludeAttributes: 'raw', bodyTemplate: '', destinationId: 'ops', tenant: 'default', policy },
      credentials: { signedWebhookApi: { scheme: 'standard-webhooks', secret: signingSecret }, incidentIntakeStoreApi: store.credential },
    }),
  );
  expect(item!.json).toMatchObject({ status: expected });
  return (item!.json as { deliveryId: string }).deliveryId;
}

async function run(parameters: Record<string, unknown>) {
  const [items] = await node.execute.call(executeContext({ parameters: { tenant: 'default', resource: 'delivery', destinationId: 'ops', ...parameters }, credentials: { incidentIntakeStoreApi: store.credential } }));
  return items!.map((item) => item.json as Record<string, any>);
}

beforeAll(async () => {
  receiverUrl = await receiver.listen();
});
afterAll(async () => receiver.close());
beforeEach(async () => {
  store = await tempStore();
});
afterEach(async () => {
  await intake.webhookMethods.default.delete.call(hookContext({ parameters: intakeParameters, credentials: intakeCredentials() }));
  await store.cleanup();
});

describe('Incident Intake node: deliveries', () => {
  it('shows destination health and replays dead letters one by id, by filter, and all', async () => {
    const first = await deadLetter(await newIncident('ext-1'));
    const secondIncident = await newIncident('ext-2');
    await deadLetter(secondIncident);
    await deadLetter(await newIncident('ext-3'));

    const [health] = await run({ operation: 'getDestinationHealth' });
    expect(health).toMatchObject({ tenant: 'default', destinationId: 'ops', kind: 'webhook', enabled: true, deadLettered: 3, active: 0, lastResultAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    expect(await run({ operation: 'replayDeadLetters', replay: 'ids', deliveryIds: `${first}, ${first}` })).toEqual([{ tenant: 'default', destinationId: 'ops', replay: 'ids', replayed: 1, skipped: 0, skippedDeliveries: [] }]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await run({ operation: 'replayDeadLetters', replay: 'filter', deadLetteredSince: future })).toMatchObject([{ replayed: 0 }]);
    expect(await run({ operation: 'replayDeadLetters', replay: 'filter', httpStatus: '500' })).toMatchObject([{ replayed: 0 }]);
    expect(await run({ operation: 'replayDeadLetters', replay: 'filter', errorContains: 'connection_refused' })).toMatchObject([{ replayed: 0 }]);
    expect(await run({ operation: 'replayDeadLetters', replay: 'filter', httpStatus: '503', errorContains: 'HTTP_503', deadLetterIncidentId: secondIncident, deadLetteredUntil: future })).toMatchObject([{ replayed: 1 }]);
    expect((await run({ operation: 'getDestinationHealth' }))[0]).toMatchObject({ deadLettered: 1, active: 2, nextAttemptAt: expect.any(String) });
    expect(await run({ operation: 'replayDeadLetters', replay: 'all' })).toMatchObject([{ replayed: 1 }]);
    expect((await run({ operation: 'getDestinationHealth' }))[0]).toMatchObject({ deadLettered: 0, active: 3 });
    await intake.webhookMethods.default.delete.call(hookContext({ parameters: intakeParameters, credentials: intakeCredentials() }));
    expect(leasedStoreCount()).toBe(0);
  });

  it('skips a dead-lettered older version once a newer one was delivered, lists it, and replays it only when asked', async () => {
    const incidentId = await newIncident('ext-7');
    const older = await deadLetter(incidentId);
    await intake.webhook.call(webhookContext({ parameters: intakeParameters, credentials: intakeCredentials(), ...signed(secret, genericEvent('ext-7', { status: 'resolved' })) }));
    const newer = await deliver(incidentId, 'delivered');
    const [skipped] = await run({ operation: 'replayDeadLetters', replay: 'all' });
    expect(skipped).toMatchObject({ replayed: 0, skipped: 1, skippedDeliveries: [{ id: older, incidentId, eventVersion: 1, reason: 'superseded', newerId: newer, newerVersion: 2, newerState: 'delivered' }] });
    expect((await run({ operation: 'getDestinationHealth' }))[0]).toMatchObject({ deadLettered: 1, active: 0 });
    expect(await run({ operation: 'replayDeadLetters', replay: 'ids', deliveryIds: older, replaySuperseded: true })).toMatchObject([{ replayed: 1, skipped: 0 }]);
    expect((await run({ operation: 'getDestinationHealth' }))[0]).toMatchObject({ deadLettered: 0, active: 1 });
  });

  it('refuses unclear replays with a clear error and changes nothing', async () => {
    await deadLetter(await newIncident('ext-1'));
    const refused = [
      [{ replay: 'filter' }, /set at least one of/],
      [{ replay: 'filter', httpStatus: 'teapot' }, /not an HTTP status code/],
      [{ replay: 'filter', deadLetteredSince: 'yesterday-ish' }, /is not a date/],
      [{ replay: 'filter', deadLetteredSince: '2026-12-02T00:00:00Z', deadLetteredUntil: '2026-12-01T00:00:00Z' }, /must be later/],
      [{ replay: 'ids', deliveryIds: ' , ' }, /at least one/],
      [{ replay: 'all', destinationId: ' ' }, /Destination ID is required/],
    ] as const;
    for (const [parameters, message] of refused) {
      const failure = run({ operation: 'replayDeadLetters', ...parameters });
      await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
      await expect(failure).rejects.toThrow(message);
    }
    expect((await run({ operation: 'getDestinationHealth' }))[0]).toMatchObject({ deadLettered: 1, active: 0 });
  });

  it('paces a destination from the bucket its Delivery Policy names, a row in the store', async () => {
    await deliver(await newIncident('ext-8'), 'delivered', { ratePerMinute: 30, rateBurst: 4, rateBucket: 'soc-receiver', ordering: 'per-incident' });
    const opened = await openSqliteStore(store.path);
    try {
      const bucket = await opened.transaction((r) => r.rateBuckets.get('key:soc-receiver'));
      expect(bucket!.tokens).toBeGreaterThanOrEqual(3);
      expect(bucket!.tokens).toBeLessThan(4);
    } finally {
      await opened.close();
    }
  });

  it('turns the Delivery Policy fields into the core policy, each default meaning the kind default', () => {
    expect(deliveryPolicy({ ordering: 'none', ratePerMinute: 0, rateBurst: 0, rateBucket: '' })).toEqual({ ordering: 'none' });
    expect(deliveryPolicy({ ordering: 'per-incident', ratePerMinute: 60, rateBurst: 5, rateBucket: ' soc ' })).toEqual({ ordering: 'per-incident', rateLimit: { perMinute: 60, burst: 5, bucket: 'soc' } });
    expect(deliveryPolicy({ rateBucket: 'shared-key' })).toEqual({ rateLimit: { bucket: 'shared-key' } });
    expect(deliveryPolicy({ unpaced: true, ratePerMinute: 60 })).toEqual({ rateLimit: null });
    expect(() => deliveryPolicy({ ratePerMinute: -5 })).toThrow('rate limit per minute: "-5" is not a number above 0');
    expect(() => deliveryPolicy({ rateBurst: 3 })).toThrow('rate burst: set a rate limit per minute with it');
    expect(() => deliveryPolicy({ ordering: 'fifo' })).toThrow('ordering: "fifo" is not one of none, per-incident');
    const ordering = (kind: 'webhook' | 'incident-io') => (deliveryPolicyField(kind).options!.find((option) => option.name === 'ordering') as { default: unknown }).default;
    expect([ordering('webhook'), ordering('incident-io')]).toEqual(['none', 'per-incident']);
  });

  it("offers the core's default Max Attempts", () => {
    for (const kind of ['webhook', 'incident-io'] as const) {
      const maxAttempts = deliveryPolicyField(kind).options!.find((option) => option.name === 'maxAttempts') as { default: unknown };
      expect(maxAttempts.default).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
      expect(maxAttempts.default).toBe(6);
    }
  });
});
