import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../core/store/sqlite/open-sqlite-store';
import { N8nInstance } from './n8n-instance';

/**
 * Audit → Verify Trail in a real n8n 2.41.1: the Incident Intake node walks every tenant's hash chain, and a
 * row edited or deleted behind the store's back (its guard triggers dropped, as a superuser could) is named.
 */
const N8N_DIR = process.env.E2E_N8N_DIR!;
const PACKAGE_DIR = process.env.E2E_PACKAGE_DIR!;
const PACKAGE_NAME = '@intakekit/n8n-nodes-incident-intake';
const PORT = Number(process.env.E2E_N8N_AUDIT_PORT ?? 5712);
const WORKFLOW = 'IntakeAuditOp001';

let n8n: N8nInstance;
let userFolder: string;
let storePath: string;

function node(name: string, type: string, parameters: object, position: [number, number], extra: object = {}) {
  return { id: randomUUID(), name, type, typeVersion: 1, position, parameters, ...extra };
}

function workflow(credential: { id: string; name: string }): object {
  const hook = node('Check', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: 'audit-verify', responseMode: 'lastNode', responseData: 'allEntries', options: {} }, [0, 0], { typeVersion: 2, webhookId: randomUUID() });
  const verify = node('Verify audit trail', `${PACKAGE_NAME}.incidentIntake`, { resource: 'audit', operation: 'verifyTrail', allTenants: true }, [250, 0], { credentials: { incidentIntakeStoreApi: credential } });
  return { id: WORKFLOW, name: 'Verify the audit trail', nodes: [hook, verify], connections: { Check: { main: [[{ node: 'Verify audit trail', type: 'main', index: 0 }]] } }, settings: { executionOrder: 'v1' }, active: false };
}

/** The sequence numbers of a tenant's entries, oldest first. */
async function seed(tenant: string, count: number): Promise<number[]> {
  const store = await openSqliteStore(storePath);
  try {
    for (let i = 1; i <= count; i += 1) {
      await store.transaction((r) => r.audit.append({ tenant, at: Date.now(), actor: `reviewer-${i}`, action: 'event.promoted', subjectType: 'event', subjectId: `evt_${tenant}_${i}`, details: { reason: `checked ${i}` } }));
    }
    return (await store.transaction((r) => r.audit.pageAfter(tenant, 0, 1_000))).map((entry) => entry.seq);
  } finally {
    await store.close();
  }
}

/** Writes to the store file behind its back, as someone with file (or superuser) access could. */
function tamper(sql: string): void {
  const db = new DatabaseSync(storePath);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

async function verify(): Promise<Array<Record<string, any>>> {
  const response = await fetch(`${n8n.baseUrl}/webhook/audit-verify`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text) as Array<Record<string, any>>;
}

let acme: number[];
let globex: number[];

beforeAll(async () => {
  if (!N8N_DIR || !PACKAGE_DIR) throw new Error('run through npm run test:n8n (E2E_N8N_DIR and E2E_PACKAGE_DIR are set there)');
  userFolder = await mkdtemp(join(tmpdir(), 'n8n-audit-e2e-'));
  storePath = join(userFolder, 'audit.sqlite');
  acme = await seed('acme', 4);
  globex = await seed('globex', 3);
  const credential = { id: 'AuditStore000001', name: 'Audit store', type: 'incidentIntakeStoreApi', data: { backend: 'sqlite', sqlitePath: storePath } };
  n8n = new N8nInstance(N8N_DIR, userFolder, PORT);
  await cp(PACKAGE_DIR, join(userFolder, '.n8n', 'nodes', 'node_modules', ...PACKAGE_NAME.split('/')), { recursive: true });
  await writeFile(join(userFolder, 'credentials.json'), JSON.stringify([credential]));
  await n8n.cli('import:credentials', `--input=${join(userFolder, 'credentials.json')}`);
  const folder = join(userFolder, 'workflows');
  await mkdir(folder);
  await writeFile(join(folder, `${WORKFLOW}.json`), JSON.stringify(workflow(credential)));
  await n8n.cli('import:workflow', '--separate', `--input=${folder}`);
  await n8n.cli('publish:workflow', `--id=${WORKFLOW}`);
  await n8n.start();
  await n8n.waitForWebhook('/webhook/audit-verify');
}, 300_000);

afterAll(async () => {
  await n8n?.stop();
  if (process.env.E2E_KEEP !== '1' && userFolder) await rm(userFolder, { recursive: true, force: true });
}, 60_000);

describe('Audit → Verify Trail in a real n8n 2.41.1', () => {
  it('reports every tenant intact with its head, then names the row edited and the row deleted behind the store\'s back', async () => {
    const intact = await verify();
    expect(intact).toEqual([
      { tenant: 'acme', intact: true, entries: 4, head: { seq: acme[3], hash: expect.stringMatching(/^[0-9a-f]{64}$/) }, broken: null },
      { tenant: 'globex', intact: true, entries: 3, head: { seq: globex[2], hash: expect.stringMatching(/^[0-9a-f]{64}$/) }, broken: null },
    ]);

    tamper('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
    tamper(`UPDATE audit SET details = '{"reason":"nothing to see"}' WHERE seq = ${acme[1]}`);
    tamper(`DELETE FROM audit WHERE seq = ${globex[1]}`);
    const [brokenAcme, brokenGlobex] = await verify();
    expect(brokenAcme).toMatchObject({ tenant: 'acme', intact: false, entries: 2, broken: { seq: acme[1], reason: expect.stringContaining('its fields do not match its hash: the row was edited (event.promoted on event evt_acme_2)') } });
    expect(brokenGlobex).toMatchObject({ tenant: 'globex', intact: false, broken: { seq: globex[2], reason: expect.stringContaining(`does not match entry ${globex[0]}'s hash: an entry between them was deleted or inserted`) } });
  });
});
