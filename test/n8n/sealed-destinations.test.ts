import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IncidentIntakeTrigger } from '../../nodes/IncidentIntakeTrigger/IncidentIntakeTrigger.node';
import { receiverStandIn } from './e2e/stand-ins';
import { executeContext, hookContext, triggerContext, webhookContext } from './support/fake-context';
import { genericEvent, newWebhookSecret, signed, tempStore } from './support/fixtures';

/**
 * The delivery nodes and the Delivery Worker Trigger as loaded by one n8n process. Each call loads them afresh
 * (new hub, new store cache), as a restarted n8n or another queue-mode process would.
 */
async function newProcess() {
  vi.resetModules();
  const [{ SignedWebhook }, { DeliveryWorkerTrigger }, hub] = await Promise.all([
    import('../../nodes/SignedWebhook/SignedWebhook.node'),
    import('../../nodes/DeliveryWorkerTrigger/DeliveryWorkerTrigger.node'),
    import('../../nodes/shared/delivery-hub'),
  ]);
  return { signedWebhook: new SignedWebhook(), workerTrigger: new DeliveryWorkerTrigger(), isDelivering: hub.isDelivering };
}

const intake = new IncidentIntakeTrigger();
const sourceSecret = newWebhookSecret();
const signingSecret = newWebhookSecret();
const receiver = receiverStandIn();
let receiverUrl: string;
let store: Awaited<ReturnType<typeof tempStore>>;
let storeCredential: Record<string, unknown>;
let closers: Array<() => Promise<void>> = [];

const intakeParameters = { path: '', sourceId: 'partner-alerts', provider: 'generic', mode: 'auto-create', severityFilter: [], mapping: {}, limits: {}, sourceOptions: {}, options: { binaryData: true } };
const intakeCredentials = () => ({ incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret: sourceSecret }, incidentIntakeStoreApi: storeCredential });

async function newIncident(id: string): Promise<string> {
  const result = await intake.webhook.call(webhookContext({ parameters: intakeParameters, credentials: intakeCredentials(), ...signed(sourceSecret, genericEvent(id)) }));
  return (result.workflowData![1]![0]!.json as { id: string }).id;
}

const signedWebhookRun = (incidentId: string) =>
  executeContext({
    parameters: { incidentId, url: `${receiverUrl}/hook?token=url-token-4711`, method: 'POST', headers: {}, excludeAttributes: '', bodyTemplate: '', destinationId: 'ops', tenant: 'default', policy: { scheduleSeconds: '0.3', maxAttempts: 5 } },
    credentials: { signedWebhookApi: { scheme: 'standard-webhooks', secret: signingSecret }, incidentIntakeStoreApi: storeCredential },
  });

async function activate(process: Awaited<ReturnType<typeof newProcess>>, credential = storeCredential) {
  const context = triggerContext({ parameters: { emit: 'final' }, credentials: { incidentIntakeStoreApi: credential } });
  const warnings: string[] = [];
  (context.logger as { warn: (message: string) => void }).warn = (message) => void warnings.push(message);
  const { closeFunction } = await process.workerTrigger.trigger.call(context);
  closers.push(closeFunction as () => Promise<void>);
  return { emitted: context.emitted, warnings };
}

/**
 * A retry enqueued by a Signed Webhook node in one process: its first attempt met a receiver outage. With a
 * worker already running elsewhere, that worker may claim the first attempt before the node does.
 */
async function retryLeftBehind(incidentId: string, workerElsewhere = false): Promise<void> {
  receiver.failNext(100);
  const [[item]] = await (await newProcess()).signedWebhook.execute.call(signedWebhookRun(incidentId));
  if (!workerElsewhere || item!.json.status !== 'scheduled') expect(item!.json).toMatchObject({ status: 'retry_scheduled', result: { httpStatus: 503 } });
  await waitFor(() => receiver.requests.length > 0);
  receiver.failNext(0);
}

beforeAll(async () => {
  receiverUrl = await receiver.listen();
});

afterAll(async () => {
  await receiver.close();
});

beforeEach(async () => {
  store = await tempStore();
  storeCredential = { ...store.credential, outboxEncryptionKey: randomBytes(32).toString('base64') };
  receiver.requests.length = 0;
});

afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
  await intake.webhookMethods.default.delete.call(hookContext({ parameters: intakeParameters, credentials: intakeCredentials() }));
  await store.cleanup();
});

describe('with an outbox encryption key on the store credential', () => {
  it('a Delivery Worker Trigger activated after a restart sends the retry a Signed Webhook node left, without the node running again', async () => {
    const incidentId = await newIncident('restart-1');
    await retryLeftBehind(incidentId);

    const restarted = await newProcess();
    expect(restarted.isDelivering(store.path)).toBe(false);
    const { emitted, warnings } = await activate(restarted);
    await waitFor(() => emitted.length > 0);
    expect(emitted[0]![0]![0]).toMatchObject({ json: { status: 'delivered', final: true, incidentId, destinationId: 'ops', attempt: 2 } });
    expect(receiver.requests.map((request) => [request.path, request.status])).toEqual([
      ['/hook?token=url-token-4711', 503],
      ['/hook?token=url-token-4711', 200],
    ]);
    expect(warnings).toEqual([]);
  });

  it('a trigger in one process (queue mode: main) sends retries of deliveries a node made in another (a worker)', async () => {
    const main = await newProcess();
    const { emitted } = await activate(main);
    const incidentId = await newIncident('queue-1');
    await retryLeftBehind(incidentId, true);
    await waitFor(() => emitted.length > 0);
    expect(emitted[0]![0]![0]).toMatchObject({ json: { status: 'delivered', incidentId, attempt: 2 } });
  });

  it('keeps the destination sealed: no secret of it in the SQLite file', async () => {
    await retryLeftBehind(await newIncident('scan-1'));
    const bytes = Buffer.concat([store.path, `${store.path}-wal`].filter(existsSync).map((file) => readFileSync(file)));
    for (const secret of [signingSecret, 'url-token-4711', String(storeCredential.outboxEncryptionKey)]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });

  it('warns once, without the key, about a destination sealed with another key', async () => {
    await retryLeftBehind(await newIncident('other-key-1'));
    const otherKey = { ...storeCredential, outboxEncryptionKey: randomBytes(32).toString('base64') };
    const { emitted, warnings } = await activate(await newProcess(), otherKey);
    await waitFor(() => warnings.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(warnings).toEqual([expect.stringMatching(/^Delivery Worker Trigger: the sealed config of destination default\/ops was sealed with key [0-9a-f]{16}, which is not among/)]);
    expect(warnings[0]).not.toContain(String(otherKey.outboxEncryptionKey));
    expect(emitted).toEqual([]);
  });

  it('refuses a malformed key with a hint, without quoting it', async () => {
    const incidentId = await newIncident('bad-key-1');
    storeCredential = { ...storeCredential, outboxEncryptionKey: 'my secret passphrase' };
    const process = await newProcess();
    const failure = await process.signedWebhook.execute.call(signedWebhookRun(incidentId)).catch((error: Error) => error);
    expect((failure as Error).message).toMatch(/outbox encryption key 1 is not a valid key: use 32 random bytes in base64, e\.g\. the output of `openssl rand -base64 32`/);
    expect((failure as Error).message).not.toContain('my secret passphrase');
    await expect(activate(process)).rejects.toThrow(/not a valid key/);
    expect(receiver.requests).toEqual([]);
  });
});

describe('without an outbox encryption key', () => {
  it('a trigger activated after a restart does not know the destination, as documented', async () => {
    storeCredential = store.credential;
    await retryLeftBehind(await newIncident('no-key-1'));
    const { emitted } = await activate(await newProcess());
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(emitted).toEqual([]);
    expect(receiver.requests).toHaveLength(1);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
