import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryWorkerTrigger } from '../../nodes/DeliveryWorkerTrigger/DeliveryWorkerTrigger.node';
import { IncidentIntakeTrigger } from '../../nodes/IncidentIntakeTrigger/IncidentIntakeTrigger.node';
import { IncidentIo } from '../../nodes/IncidentIo/IncidentIo.node';
import { incidentIoLoadOptions } from '../../nodes/IncidentIo/load-options';
import { SignedWebhook } from '../../nodes/SignedWebhook/SignedWebhook.node';
import { isDelivering } from '../../nodes/shared/delivery-hub';
import { leasedStoreCount } from '../../nodes/shared/store-cache';
import { incidentIoStandIn, receiverStandIn } from './e2e/stand-ins';
import { executeContext, hookContext, triggerContext, webhookContext } from './support/fake-context';
import { genericEvent, newWebhookSecret, signed, tempStore } from './support/fixtures';

const intake = new IncidentIntakeTrigger();
const secret = newWebhookSecret();
const signingSecret = newWebhookSecret();
const apiKey = 'unit-incident-io-key-0123456789';
const receiver = receiverStandIn();
const incidentIo = incidentIoStandIn(apiKey);
let receiverUrl: string;
let incidentIoUrl: string;
let store: Awaited<ReturnType<typeof tempStore>>;

const intakeParameters = { path: '', sourceId: 'partner-alerts', provider: 'generic', mode: 'auto-create', severityFilter: [], mapping: {}, limits: {}, sourceOptions: {}, options: { binaryData: true } };
const intakeCredentials = () => ({ incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret }, incidentIntakeStoreApi: store.credential });

/** The trigger keeps its store open until n8n calls its delete hook. */
const releaseIntake = () => intake.webhookMethods.default.delete.call(hookContext({ parameters: intakeParameters, credentials: intakeCredentials() }));

async function newIncident(id: string): Promise<string> {
  const result = await intake.webhook.call(webhookContext({ parameters: intakeParameters, credentials: intakeCredentials(), ...signed(secret, genericEvent(id)) }));
  return (result.workflowData![1]![0]!.json as { id: string }).id;
}

function signedWebhook(incidentId: string, policy: Record<string, unknown> = {}, storeCredential: Record<string, unknown> = store.credential) {
  return executeContext({
    parameters: { incidentId, url: `${receiverUrl}/hook`, method: 'POST', headers: { header: [{ name: 'X-Team', value: 'ops' }] }, excludeAttributes: 'raw', bodyTemplate: '', destinationId: 'ops', tenant: 'default', policy },
    credentials: { signedWebhookApi: { scheme: 'standard-webhooks', secret: signingSecret }, incidentIntakeStoreApi: storeCredential },
  });
}

beforeAll(async () => {
  [receiverUrl, incidentIoUrl] = await Promise.all([receiver.listen(), incidentIo.listen()]);
});

afterAll(async () => {
  await Promise.all([receiver.close(), incidentIo.close()]);
});

beforeEach(async () => {
  store = await tempStore();
  receiver.requests.length = 0;
  incidentIo.requests.length = 0;
});

afterEach(async () => {
  await intake.webhookMethods.default.delete.call(hookContext({ parameters: intakeParameters, credentials: intakeCredentials() }));
  await store.cleanup();
});

describe('Signed Webhook node', () => {
  it('enqueues in the outbox and, with no worker running, makes the first attempt at once', async () => {
    const incidentId = await newIncident('ext-1');
    const [[item]] = await new SignedWebhook().execute.call(signedWebhook(incidentId));
    expect(item!.json).toMatchObject({ incidentId, destinationId: 'ops', created: true, status: 'delivered', result: { httpStatus: 200, attempt: 1 } });
    const [request] = receiver.requests;
    expect(request!.headers['x-team']).toBe('ops');
    const event = new Webhook(signingSecret).verify(request!.body, request!.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    expect(event).toMatchObject({ type: 'incident.created', data: { id: incidentId } });
    expect(JSON.stringify(event.data)).not.toContain('"raw"');
    expect(JSON.stringify(item!.json)).not.toContain(signingSecret);
    await releaseIntake();
    expect(leasedStoreCount()).toBe(0);
  });

  it('leaves a failed first attempt scheduled; the Delivery Worker Trigger retries it and emits the result', async () => {
    const incidentId = await newIncident('ext-2');
    receiver.failNext(2);
    const [[item]] = await new SignedWebhook().execute.call(signedWebhook(incidentId, { scheduleSeconds: '0.2', maxAttempts: 5 }));
    expect(item!.json).toMatchObject({ status: 'retry_scheduled', result: { httpStatus: 503 } });
    const worker = triggerContext({ parameters: { emit: 'final' }, credentials: { incidentIntakeStoreApi: store.credential } });
    const { closeFunction } = await new DeliveryWorkerTrigger().trigger.call(worker);
    expect(isDelivering(await locationOf())).toBe(true);
    await waitFor(() => worker.emitted.length > 0);
    expect(worker.emitted[0]![0]![0]).toMatchObject({ json: { status: 'delivered', final: true, incidentId, attempt: 3 } });
    expect(receiver.requests.map((request) => request.status)).toEqual([503, 503, 200]);
    await closeFunction!();
    expect(isDelivering(await locationOf())).toBe(false);
    await releaseIntake();
    expect(leasedStoreCount()).toBe(0);
  });

  it('emits only dead letters with "failures"', async () => {
    const incidentId = await newIncident('ext-3');
    receiver.failNext(10);
    const worker = triggerContext({ parameters: { emit: 'failures' }, credentials: { incidentIntakeStoreApi: store.credential } });
    const { closeFunction } = await new DeliveryWorkerTrigger().trigger.call(worker);
    try {
      const [[item]] = await new SignedWebhook().execute.call(signedWebhook(incidentId, { scheduleSeconds: '0.1', maxAttempts: 2 }));
      expect(item!.json).toMatchObject({ status: 'scheduled', result: null });
      await waitFor(() => worker.emitted.length > 0);
      expect(worker.emitted).toHaveLength(1);
      expect(worker.emitted[0]![0]![0]).toMatchObject({ json: { status: 'dead_letter', incidentId, attempt: 2 } });
    } finally {
      await closeFunction!();
      receiver.failNext(0);
    }
  });
});

describe('delivery host policy (store credential)', () => {
  const withoutAllow = () => ({ ...store.credential, allowedDeliveryHosts: '' });

  it('refuses a loopback receiver unless the store credential allows it: dead-lettered, nothing sent', async () => {
    const incidentId = await newIncident('ext-policy-1');
    const [[item]] = await new SignedWebhook().execute.call(signedWebhook(incidentId, {}, withoutAllow()));
    expect(item!.json).toMatchObject({ status: 'dead_letter', result: { reason: 'destination_refused', httpStatus: null } });
    expect(String((item!.json.result as { error: string }).error)).toMatch(/127\.0\.0\.1.*allow it explicitly/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('the allowed host is reached; a denied entry wins over the allow', async () => {
    const allowed = await newIncident('ext-policy-2');
    const [[delivered]] = await new SignedWebhook().execute.call(signedWebhook(allowed, {}, { ...store.credential, allowedDeliveryHosts: '127.0.0.0/8' }));
    expect(delivered!.json).toMatchObject({ status: 'delivered' });
    const denied = await newIncident('ext-policy-3');
    const [[refused]] = await new SignedWebhook().execute.call(signedWebhook(denied, {}, { ...store.credential, allowedDeliveryHosts: '127.0.0.1', deniedDeliveryHosts: '127.0.0.1' }));
    expect(refused!.json).toMatchObject({ status: 'dead_letter', result: { reason: 'destination_refused' } });
    expect(receiver.requests).toHaveLength(1);
  });

  it('INCIDENT_INTAKE_OUTBOUND_ALLOW allows hosts for the whole instance', async () => {
    const incidentId = await newIncident('ext-policy-4');
    process.env.INCIDENT_INTAKE_OUTBOUND_ALLOW = '127.0.0.1';
    try {
      const [[item]] = await new SignedWebhook().execute.call(signedWebhook(incidentId, {}, withoutAllow()));
      expect(item!.json).toMatchObject({ status: 'delivered' });
    } finally {
      delete process.env.INCIDENT_INTAKE_OUTBOUND_ALLOW;
    }
  });

  it('the Delivery Worker Trigger follows its store credential: a retry to a host it does not allow is refused', async () => {
    const incidentId = await newIncident('ext-policy-5');
    receiver.failNext(1);
    const [[item]] = await new SignedWebhook().execute.call(signedWebhook(incidentId, { scheduleSeconds: '0.2', maxAttempts: 5 }));
    expect(item!.json).toMatchObject({ status: 'retry_scheduled' });
    const worker = triggerContext({ parameters: { emit: 'final' }, credentials: { incidentIntakeStoreApi: withoutAllow() } });
    const { closeFunction } = await new DeliveryWorkerTrigger().trigger.call(worker);
    try {
      await waitFor(() => worker.emitted.length > 0);
      expect(worker.emitted[0]![0]![0]).toMatchObject({ json: { status: 'dead_letter', reason: 'destination_refused', incidentId } });
      expect(receiver.requests.map((request) => request.status)).toEqual([503]);
    } finally {
      await closeFunction!();
    }
  });

  it('an entry that is not a host fails the execution, naming the field', async () => {
    const incidentId = await newIncident('ext-policy-6');
    await expect(new SignedWebhook().execute.call(signedWebhook(incidentId, {}, { ...store.credential, allowedDeliveryHosts: '10.0.0.0/99' }))).rejects.toThrow(/Allowed Delivery Hosts/);
  });
});

describe('incident.io node', () => {
  const incidentIoContext = (incidentId: string, resource: string, operation: string) =>
    executeContext({
      parameters: { resource, operation, incidentId, visibility: 'private', mode: 'test', incidentTypeId: '', severities: { severity: [{ canonical: 'high', id: 'sev_major' }] }, statuses: {}, destinationId: 'incident-io', tenant: 'default', policy: {} },
      credentials: {
        incidentIoApi: { apiKey, baseUrl: incidentIoUrl },
        incidentIoAlertSourceApi: { alertSourceConfigId: 'ALERTSRC1', token: 'alert-source-token-123', baseUrl: incidentIoUrl },
        incidentIntakeStoreApi: store.credential,
      },
    });

  it('creates an incident with the mapped severity and the outbox idempotency key', async () => {
    const incidentId = await newIncident('ext-4');
    const [[item]] = await new IncidentIo().execute.call(incidentIoContext(incidentId, 'incident', 'create'));
    expect(item!.json).toMatchObject({ status: 'delivered', result: { remoteId: '01INCIDENTIO1' } });
    const create = incidentIo.requests.find((request) => request.path === '/v2/incidents')!;
    expect(JSON.parse(create.body)).toMatchObject({ severity_id: 'sev_major', visibility: 'private', mode: 'test', idempotency_key: expect.any(String) });
    expect(JSON.stringify(item!.json)).not.toContain(apiKey);
  });

  it('edits the incident it created, with the id incident.io returned', async () => {
    const incidentId = await newIncident('ext-6');
    const [[created]] = await new IncidentIo().execute.call(incidentIoContext(incidentId, 'incident', 'create'));
    const remoteId = (created!.json.result as { remoteId: string }).remoteId;
    const updated = await intake.webhook.call(webhookContext({ parameters: intakeParameters, credentials: intakeCredentials(), ...signed(secret, genericEvent('ext-6', { status: 'resolved' })) }));
    expect(updated.workflowData![1]![0]!.json).toMatchObject({ id: incidentId, change: 'updated', version: 2 });
    const [[item]] = await new IncidentIo().execute.call(incidentIoContext(incidentId, 'incident', 'edit'));
    expect(item!.json).toMatchObject({ status: 'delivered', eventKind: 'incident.resolved', eventVersion: 2 });
    expect(incidentIo.requests.map((request) => `${request.method} ${request.path}`)).toContain(`POST /v2/incidents/${remoteId}/actions/edit`);
  });

  it('sends an alert event with the alert source token', async () => {
    const incidentId = await newIncident('ext-5');
    await new IncidentIo().execute.call(incidentIoContext(incidentId, 'alertEvent', 'send'));
    const alert = incidentIo.requests.find((request) => request.path.startsWith('/v2/alert_events/http/ALERTSRC1'))!;
    expect(alert.headers.authorization).toBe('Bearer alert-source-token-123');
  });

  it('loads severities, incident types and statuses for the dropdowns through the API credential', async () => {
    const context = {
      getCredentials: async () => ({ apiKey, baseUrl: incidentIoUrl }),
      helpers: {
        async httpRequestWithAuthentication(_type: string, request: { url: string }) {
          const response = await fetch(request.url, { headers: { authorization: `Bearer ${apiKey}` } });
          return response.json();
        },
      },
    };
    expect(await incidentIoLoadOptions.getIncidentTypes.call(context as never)).toEqual([{ name: 'Security', value: 'type_security', description: 'Security incidents' }]);
    expect(await incidentIoLoadOptions.getStatuses.call(context as never)).toEqual([
      { name: 'Triage', value: 'status_triage' },
      { name: 'Closed', value: 'status_closed' },
    ]);
    const options = await incidentIoLoadOptions.getSeverities.call(context as never);
    expect(options).toEqual([
      { name: 'Critical', value: 'sev_critical' },
      { name: 'Major', value: 'sev_major' },
      { name: 'Minor', value: 'sev_minor' },
    ]);
  });
});

async function locationOf(): Promise<string> {
  return store.path;
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
