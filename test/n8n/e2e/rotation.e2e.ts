import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret, signRequest } from '../../../core/signing';
import { sourceHealth } from '../../../core/sources/source-admin';
import { openSqliteStore } from '../../../core/store/sqlite/open-sqlite-store';
import { N8nInstance } from './n8n-instance';

/**
 * Secret rotation through the source auth credential in a real n8n 2.41.1: the credential is changed as a user
 * changes it (n8n's own import:credentials, while n8n runs), the trigger notices and the store keeps the replaced
 * secret sealed for the grace; the Incident Intake node's Rotate Secret sets a short grace or revokes at once.
 */
const N8N_DIR = process.env.E2E_N8N_DIR!;
const PACKAGE_DIR = process.env.E2E_PACKAGE_DIR!;
const PACKAGE_NAME = '@intakekit/n8n-nodes-incident-intake';
const PORT = Number(process.env.E2E_N8N_ROTATION_PORT ?? 5698);
const STORE_FILE = join('incident-intake', 'rotation.sqlite');
const WORKFLOW = { intake: 'IntakeRotation01', rotate: 'IntakeRotateOp01' } as const;
const outboxKey = randomBytes(32).toString('base64');
const secrets = [generateSecret('standard-webhooks'), generateSecret('standard-webhooks'), generateSecret('standard-webhooks')] as const;
const store = { id: 'RotationStore001', name: 'Rotation store', type: 'incidentIntakeStoreApi', data: { backend: 'sqlite', sqlitePath: STORE_FILE, outboxEncryptionKey: outboxKey } };
const sourceAuth = (secret: string) => ({ id: 'RotatingSender01', name: 'Rotating sender', type: 'incidentIntakeSourceAuthApi', data: { scheme: 'standard-webhooks', secret, rotationGraceHours: 1 } });

let n8n: N8nInstance;
let userFolder: string;
let counter = 0;

function node(name: string, type: string, parameters: object, credentials: object, position: [number, number]) {
  return { id: randomUUID(), name, type, typeVersion: 1, position, parameters, credentials };
}
const storeRef = { incidentIntakeStoreApi: { id: store.id, name: store.name } };
const authRef = { incidentIntakeSourceAuthApi: { id: 'RotatingSender01', name: 'Rotating sender' } };

function workflows(): object[] {
  const trigger = { ...node('Rotating intake', `${PACKAGE_NAME}.incidentIntakeTrigger`, { path: 'incidents/rotating', sourceId: 'rotating', provider: 'generic', mode: 'review' }, { ...authRef, ...storeRef }, [0, 0]), webhookId: randomUUID() };
  const hook = { ...node('Rotate request', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: 'rotate-secret', responseMode: 'lastNode', options: {} }, {}, [0, 0]), typeVersion: 2, webhookId: randomUUID() };
  const rotate = node(
    'Rotate Secret',
    `${PACKAGE_NAME}.incidentIntake`,
    { resource: 'source', operation: 'rotateSecret', sourceId: 'rotating', actor: '={{ $json.body.actor }}', replacedSecret: '={{ $json.body.replacedSecret }}', graceHours: '={{ $json.body.graceHours }}' },
    { ...storeRef, ...authRef },
    [250, 0],
  );
  return [
    { id: WORKFLOW.intake, name: 'Rotating intake', nodes: [trigger], connections: {}, settings: { executionOrder: 'v1' }, active: false },
    { id: WORKFLOW.rotate, name: 'Rotate secret', nodes: [hook, rotate], connections: { 'Rotate request': { main: [[{ node: 'Rotate Secret', type: 'main', index: 0 }]] } }, settings: { executionOrder: 'v1' }, active: false },
  ];
}

/** What a user does in the credential editor: replaces Secret, nothing else. */
async function setCredentialSecret(secret: string): Promise<void> {
  const file = join(userFolder, `credential-${++counter}.json`);
  await writeFile(file, JSON.stringify([sourceAuth(secret)]));
  await n8n.cli('import:credentials', `--input=${file}`);
  await rm(file);
}

async function send(secret: string): Promise<number> {
  const raw = Buffer.from(JSON.stringify({ type: 'incident.created', data: { id: `rot-${++counter}`, title: 'Payments API errors', detected_at: new Date().toISOString(), severity: 'high', status: 'open' } }));
  const response = await fetch(`${n8n.baseUrl}/webhook/incidents/rotating`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, raw, { id: `msg_${randomUUID()}` }) } });
  await response.text();
  return response.status;
}

async function rotate(body: object) {
  const response = await fetch(`${n8n.baseUrl}/webhook/rotate-secret`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await response.text();
  return { status: response.status, text, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, any>) : undefined };
}

async function inStore<T>(work: (opened: Awaited<ReturnType<typeof openSqliteStore>>) => Promise<T>): Promise<T> {
  const opened = await openSqliteStore(join(userFolder, '.n8n', STORE_FILE));
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}
const health = () => inStore((opened) => sourceHealth(opened, 'default', 'rotating'));
const audit = () => inStore((opened) => opened.transaction((r) => r.audit.forSubject('default', 'source', 'rotating')));

/** Polls an async condition; the trigger takes a credential change up within its 5-second recheck. */
async function eventually(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(async () => {
  if (!N8N_DIR || !PACKAGE_DIR) throw new Error('run through npm run test:n8n (E2E_N8N_DIR and E2E_PACKAGE_DIR are set there)');
  userFolder = await mkdtemp(join(tmpdir(), 'n8n-rotation-e2e-'));
  n8n = new N8nInstance(N8N_DIR, userFolder, PORT);
  await cp(PACKAGE_DIR, join(userFolder, '.n8n', 'nodes', 'node_modules', ...PACKAGE_NAME.split('/')), { recursive: true });
  await writeFile(join(userFolder, 'credentials.json'), JSON.stringify([store, sourceAuth(secrets[0])]));
  await n8n.cli('import:credentials', `--input=${join(userFolder, 'credentials.json')}`);
  const folder = join(userFolder, 'workflows');
  await mkdir(folder);
  for (const workflow of workflows()) await writeFile(join(folder, `${(workflow as { id: string }).id}.json`), JSON.stringify(workflow));
  await n8n.cli('import:workflow', '--separate', `--input=${folder}`);
  for (const id of Object.values(WORKFLOW)) await n8n.cli('publish:workflow', `--id=${id}`);
  await n8n.start();
  await n8n.waitForWebhook('/webhook/incidents/rotating');
}, 300_000);

afterAll(async () => {
  await n8n?.stop();
  if (process.env.E2E_KEEP !== '1' && userFolder) await rm(userFolder, { recursive: true, force: true });
}, 60_000);

describe('secret rotation through the credential in a real n8n 2.41.1', () => {
  const [first, second, third] = secrets;

  it('replacing Secret in the credential is the whole rotation: old and new are both accepted during the grace', async () => {
    expect(await send(first)).toBe(202);
    await setCredentialSecret(second);
    await eventually(async () => (await send(second)) === 202);
    expect(await send(first)).toBe(202);
    expect((await health()).secrets).toMatchObject({ lastUsed: 'previous', senderSwitched: false });
    expect(await send(second)).toBe(202);
    const { secrets: use } = await health();
    expect(use).toMatchObject({ lastUsed: 'current', senderSwitched: true });
    expect(Date.parse(use.previousValidUntil!) - Date.parse(use.rotatedAt!)).toBe(3_600_000);
    expect((await audit()).find((entry) => entry.action === 'source.secret_rotated')).toMatchObject({ actor: 'n8n: source auth credential changed', details: { replaced: 1 } });
  });

  it('Rotate Secret with a short grace: the old secret is refused once it has passed', async () => {
    const answer = await rotate({ actor: 'alice@example.com', replacedSecret: 'grace', graceHours: 0.001 });
    expect(answer.json, answer.text).toMatchObject({ sourceId: 'rotating', rotated: false, replacedSecrets: 1, liveSecrets: 2, replacedSecretRevoked: false });
    await eventually(async () => (await send(first)) === 401);
    expect(await send(second)).toBe(202);
    const actions = (await audit()).map((entry) => [entry.action, entry.actor]);
    expect(actions).toEqual(expect.arrayContaining([['source.secret_grace_set', 'alice@example.com'], ['source.secret_expired', 'system']]));
  });

  it('revoke now (a compromised key): Rotate Secret takes the new secret up and refuses the old one', async () => {
    await setCredentialSecret(third);
    const answer = await rotate({ actor: 'oncall@example.com', replacedSecret: 'revoke' });
    expect(answer.json, answer.text).toMatchObject({ replacedSecretRevoked: true, previousValidUntil: null, liveSecrets: 1 });
    await eventually(async () => (await send(third)) === 202);
    expect(await send(second)).toBe(401);
    const revoked = (await audit()).filter((entry) => entry.action === 'source.secret_revoked');
    expect(revoked.at(-1)).toMatchObject({ actor: 'oncall@example.com' });
  });

  it('a malformed new secret in the credential is refused and the current one stays live', async () => {
    await setCredentialSecret('whsec_dG9vLXNob3J0');
    // The trigger reads the credential again on a request after its 5-second recheck; every request in between is accepted.
    const answers: number[] = [];
    await eventually(async () => {
      answers.push(await send(third));
      return (await health()).source.lastError?.startsWith('rotation refused') ?? false;
    });
    expect(new Set(answers)).toEqual(new Set([202]));
    expect((await health()).source.lastError).toMatch(/a Standard Webhooks key is 24 to 64 bytes/);
    expect(await send(third)).toBe(202);
    expect((await audit()).at(-1)).toMatchObject({ action: 'source.secret_rotation_refused', actor: 'n8n: source auth credential changed' });
    const refused = await rotate({ actor: 'alice@example.com', replacedSecret: 'grace', graceHours: 1 });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(await send(third)).toBe(202);
  });

  it('never writes a secret into execution data, the log, the audit trail or the source rows', async () => {
    const everything = n8n.executions().map((execution) => execution.raw).join('\n') + n8n.log();
    const rows = await inStore((opened) => opened.transaction(async (r) => JSON.stringify([await r.audit.list('default', 500), await r.sources.list('default')])));
    for (const value of [...secrets, outboxKey]) {
      expect(everything).not.toContain(value);
      expect(rows).not.toContain(value);
    }
  });
});
