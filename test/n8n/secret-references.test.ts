import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IExecuteFunctions } from 'n8n-workflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignedWebhookApi } from '../../credentials/SignedWebhookApi.credentials';
import { IncidentIntakeTrigger } from '../../nodes/IncidentIntakeTrigger/IncidentIntakeTrigger.node';
import { SignedWebhook } from '../../nodes/SignedWebhook/SignedWebhook.node';
import { signedWebhookCredentialTest } from '../../nodes/shared/credential-tests';
import { receiverStandIn } from './e2e/stand-ins';
import { executeContext, hookContext, webhookContext } from './support/fake-context';
import { genericEvent, newWebhookSecret, signed, tempStore } from './support/fixtures';

const intake = new IncidentIntakeTrigger();
const secret = newWebhookSecret();
const signingSecret = newWebhookSecret();
const receiver = receiverStandIn();
const dir = mkdtempSync(join(tmpdir(), 'n8n-secret-headers-'));
let receiverUrl: string;
let store: Awaited<ReturnType<typeof tempStore>>;

const intakeParameters = { path: '', sourceId: 'partner-alerts', provider: 'generic', mode: 'auto-create', severityFilter: [], mapping: {}, limits: {}, sourceOptions: {}, options: { binaryData: true } };
const intakeCredentials = () => ({ incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret }, incidentIntakeStoreApi: store.credential });

async function newIncident(id: string): Promise<string> {
  const result = await intake.webhook.call(webhookContext({ parameters: intakeParameters, credentials: intakeCredentials(), ...signed(secret, genericEvent(id)) }));
  return (result.workflowData![1]![0]!.json as { id: string }).id;
}

interface Observed {
  context: IExecuteFunctions;
  warnings: string[];
  hints: Array<{ message: string; type?: string }>;
}

function signedWebhook(incidentId: string, headers: Array<{ name: string; value: string }>, credential: Record<string, unknown>): Observed {
  const context = executeContext({
    parameters: { incidentId, url: `${receiverUrl}/hook`, method: 'POST', headers: { header: headers }, excludeAttributes: '', bodyTemplate: '', destinationId: 'ops', tenant: 'default', policy: {} },
    credentials: { signedWebhookApi: { scheme: 'standard-webhooks', secret: signingSecret, ...credential }, incidentIntakeStoreApi: store.credential },
  });
  const observed: Observed = { context, warnings: [], hints: [] };
  Object.assign(context, {
    logger: { error: () => undefined, info: () => undefined, debug: () => undefined, warn: (message: string) => void observed.warnings.push(message) },
    addExecutionHints: (...hints: Array<{ message: string }>) => void observed.hints.push(...hints),
  });
  return observed;
}

beforeAll(async () => {
  receiverUrl = await receiver.listen();
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  store = await tempStore();
  receiver.requests.length = 0;
});
afterEach(async () => {
  await intake.webhookMethods.default.delete.call(hookContext({ parameters: intakeParameters, credentials: intakeCredentials() }));
  await store.cleanup();
});

describe('n8n Signed Webhook: headers that carry tokens come from the credential', () => {
  it('offers Secret Headers as a password field of the credential', () => {
    const field = new SignedWebhookApi().properties.find((property) => property.name === 'secretHeaders');
    expect(field).toMatchObject({ type: 'string', typeOptions: { password: true } });
  });

  it('sends the credential\'s secret headers (values and references) over plain ones, without warnings', async () => {
    const token = `n8n-token-${randomBytes(8).toString('hex')}`;
    const keyFile = join(dir, 'api-key');
    const apiKey = `n8n-key-${randomBytes(8).toString('hex')}`;
    writeFileSync(keyFile, `${apiKey}\n`);
    const envName = `N8N_TEST_RECEIVER_TOKEN_${randomBytes(3).toString('hex').toUpperCase()}`;
    process.env[envName] = token;
    try {
      const incidentId = await newIncident('ext-secret-1');
      const run = signedWebhook(incidentId, [{ name: 'X-Team', value: 'ops' }], { secretHeaders: JSON.stringify({ Authorization: `Bearer env:${envName}`, 'X-Api-Key': `file:${keyFile}`, 'X-Literal': 'literal-credential-value' }) });
      const [[item]] = await new SignedWebhook().execute.call(run.context);
      expect(item!.json).toMatchObject({ status: 'delivered' });
      const [request] = receiver.requests;
      expect(request!.headers.authorization).toBe(`Bearer ${token}`);
      expect(request!.headers['x-api-key']).toBe(apiKey);
      expect(request!.headers['x-literal']).toBe('literal-credential-value');
      expect(request!.headers['x-team']).toBe('ops');
      expect(run.warnings).toEqual([]);
      expect(run.hints).toEqual([]);
      expect(JSON.stringify(item!.json)).not.toContain(token);
    } finally {
      delete process.env[envName];
    }
  });

  it('still sends a token typed into a plain header, and flags it in the log and as an execution hint without the value', async () => {
    const literal = `Bearer plain-${randomBytes(10).toString('hex')}`;
    const incidentId = await newIncident('ext-secret-2');
    const run = signedWebhook(incidentId, [{ name: 'Authorization', value: literal }], {});
    const [[item]] = await new SignedWebhook().execute.call(run.context);
    expect(item!.json).toMatchObject({ status: 'delivered' });
    expect(receiver.requests[0]!.headers.authorization).toBe(literal);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toContain('header Authorization looks like it carries a secret in a plain field');
    expect(run.hints).toEqual([expect.objectContaining({ type: 'warning', message: run.warnings[0] })]);
    expect(run.warnings[0]).not.toContain(literal.slice(7));
  });

  it('refuses garbled secret headers, in the credential test and at run time, without quoting them', async () => {
    const garbled = `{"Authorization": "Bearer ${randomBytes(8).toString('hex')}"`;
    const tested = await signedWebhookCredentialTest.call({} as never, { id: 'c', name: 'c', type: 'signedWebhookApi', data: { scheme: 'standard-webhooks', secret: signingSecret, secretHeaders: garbled } });
    expect(tested.status).toBe('Error');
    expect(tested.message).toContain('secret headers are not valid JSON');
    expect(tested.message).not.toContain(garbled.slice(26));
    const incidentId = await newIncident('ext-secret-3');
    const run = signedWebhook(incidentId, [], { secretHeaders: garbled });
    const error = await new SignedWebhook().execute.call(run.context).then(() => undefined, (caught: unknown) => caught as Error);
    expect(error?.message).toContain('secret headers are not valid JSON');
    expect(error?.message).not.toContain(garbled.slice(26));
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('n8n Incident Intake Trigger: source secret references', () => {
  const parameters = { ...intakeParameters, sourceId: 'ref-source' };

  async function post(credential: Record<string, unknown>, key: string, id: string) {
    const context = webhookContext({ parameters, credentials: { incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', ...credential }, incidentIntakeStoreApi: store.credential }, ...signed(key, genericEvent(id)) });
    const errors: string[] = [];
    Object.assign(context, { logger: { error: (message: string) => void errors.push(message), warn: () => undefined, info: () => undefined, debug: () => undefined } });
    await intake.webhook.call(context);
    await context.response.ended;
    return { status: context.response.statusCode, errors };
  }

  afterEach(async () => {
    await intake.webhookMethods.default.delete.call(hookContext({ parameters, credentials: { incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret }, incidentIntakeStoreApi: store.credential } }));
  });

  it('verifies with a secret read from a file named in the credential, and answers "not ready" (503) while the file is missing', async () => {
    const path = join(dir, `source-secret-${randomBytes(4).toString('hex')}`);
    const missing = await post({ secret: `file:${path}` }, secret, 'ref-1');
    expect(missing.status).toBe(503);
    expect(missing.errors.join('\n')).toContain(`secret reference file:${path} names a file that does not exist`);
    writeFileSync(path, `${secret}\n`);
    expect((await post({ secret: `file:${path}` }, secret, 'ref-2')).status).toBe(202);
    expect((await post({ secret: `file:${path}` }, newWebhookSecret(), 'ref-3')).status).toBe(401);
  });
});
