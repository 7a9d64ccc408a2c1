import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { N8nInstance } from './n8n-instance';

/**
 * Event → Submit in a real n8n 2.41.1: a Code node turns one request into several items (as a bus or a
 * poller would hand them over), and each goes through the intake pipeline on its own.
 */
const N8N_DIR = process.env.E2E_N8N_DIR!;
const PACKAGE_DIR = process.env.E2E_PACKAGE_DIR!;
const PACKAGE_NAME = '@intakekit/n8n-nodes-incident-intake';
const PORT = Number(process.env.E2E_N8N_SUBMIT_PORT ?? 5704);
const WORKFLOW = 'IntakeSubmitOp01';
const store = { id: 'SubmitStore00001', name: 'Submit store', type: 'incidentIntakeStoreApi', data: { backend: 'sqlite', sqlitePath: join('incident-intake', 'submit.sqlite') } };

let n8n: N8nInstance;
let userFolder: string;

function node(name: string, type: string, parameters: object, position: [number, number], extra: object = {}) {
  return { id: randomUUID(), name, type, typeVersion: 1, position, parameters, ...extra };
}

function workflow(): object {
  const hook = node('Messages', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: 'bus-submit', responseMode: 'lastNode', responseData: 'allEntries', options: {} }, [0, 0], { typeVersion: 2, webhookId: randomUUID() });
  const split = node('One item per message', 'n8n-nodes-base.code', { mode: 'runOnceForAllItems', jsCode: 'return $input.first().json.body.messages.map((message) => ({ json: message }));' }, [250, 0], { typeVersion: 2 });
  const submit = node(
    'Submit',
    `${PACKAGE_NAME}.incidentIntake`,
    { resource: 'event', operation: 'submit', submitSourceId: 'bus-alerts', provider: 'generic', mode: 'review', messageTrust: 'channel', payloadFrom: 'json', payloadField: 'event', headersField: 'headers' },
    [500, 0],
    { credentials: { incidentIntakeStoreApi: { id: store.id, name: store.name } } },
  );
  const connect = (to: string) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
  return { id: WORKFLOW, name: 'Submit messages', nodes: [hook, split, submit], connections: { Messages: connect('One item per message'), 'One item per message': connect('Submit') }, settings: { executionOrder: 'v1' }, active: false };
}

const event = (id: string) => ({ id, title: `Backup job ${id} failed`, severity: 'critical', created_at: '2026-11-23T09:00:00Z' });

beforeAll(async () => {
  if (!N8N_DIR || !PACKAGE_DIR) throw new Error('run through npm run test:n8n (E2E_N8N_DIR and E2E_PACKAGE_DIR are set there)');
  userFolder = await mkdtemp(join(tmpdir(), 'n8n-submit-e2e-'));
  n8n = new N8nInstance(N8N_DIR, userFolder, PORT);
  await cp(PACKAGE_DIR, join(userFolder, '.n8n', 'nodes', 'node_modules', ...PACKAGE_NAME.split('/')), { recursive: true });
  await writeFile(join(userFolder, 'credentials.json'), JSON.stringify([store]));
  await n8n.cli('import:credentials', `--input=${join(userFolder, 'credentials.json')}`);
  const folder = join(userFolder, 'workflows');
  await mkdir(folder);
  await writeFile(join(folder, `${WORKFLOW}.json`), JSON.stringify(workflow()));
  await n8n.cli('import:workflow', '--separate', `--input=${folder}`);
  await n8n.cli('publish:workflow', `--id=${WORKFLOW}`);
  await n8n.start();
  await n8n.waitForWebhook('/webhook/bus-submit');
}, 300_000);

afterAll(async () => {
  await n8n?.stop();
  if (process.env.E2E_KEEP !== '1' && userFolder) await rm(userFolder, { recursive: true, force: true });
}, 60_000);

describe('Event → Submit in a real n8n 2.41.1', () => {
  it('takes each item through the pipeline: one output item per input, refusals included with their reason', async () => {
    const messages = [{ event: event('B-1') }, { event: { id: 'B-2' } }, { event: '{"title": "oops",' }, { event: event('B-1') }];
    const response = await fetch(`${n8n.baseUrl}/webhook/bus-submit`, { method: 'POST', body: JSON.stringify({ messages }), headers: { 'content-type': 'application/json' } });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const items = JSON.parse(text) as Array<Record<string, any>>;
    expect(items.map((item) => [item.route, item.outcome])).toEqual([['review', 'accepted'], ['quarantined', 'quarantined'], ['refused', 'malformed'], ['duplicate', 'duplicate']]);
    expect(items[2]!.reason).toMatch(/not valid JSON/);
    // waiting for the webhook to register sends probes that run the workflow too: ours is the one that reached Submit
    const executions = await n8n.waitForExecutions(WORKFLOW, (all) => all.some((each) => each.outputs.Submit));
    const execution = executions.find((each) => each.outputs.Submit);
    expect(execution!.status).toBe('success');
    expect(execution!.outputs.Submit![0]).toHaveLength(4);
  });
});
