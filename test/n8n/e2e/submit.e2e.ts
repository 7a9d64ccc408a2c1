import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentIoStandIn } from '../../delivery/support/incident-io-stand-in';
import { N8nInstance, type ExecutionRecord } from './n8n-instance';

/**
 * Event → Submit in a real n8n 2.41.1: a Code node turns one request into several items (as a bus or a
 * poller would hand them over), and each goes through the intake pipeline on its own, out on the named
 * output of its route. A second Submit, in auto-create mode with a custom mapping, feeds the incident.io node,
 * which delivers to a stand-in on 127.0.0.1 that checks every request against incident.io's contract.
 */
const N8N_DIR = process.env.E2E_N8N_DIR!;
const PACKAGE_DIR = process.env.E2E_PACKAGE_DIR!;
const PACKAGE_NAME = '@intakekit/n8n-nodes-incident-intake';
const PORT = Number(process.env.E2E_N8N_SUBMIT_PORT ?? 5704);
const WORKFLOW = 'IntakeSubmitOp01';
const OUTPUTS = ['review', 'incident', 'quarantined', 'refused', 'skipped'] as const;
const ALERT_SOURCE = { id: '01GW2G3V0S59R238FAHPDS1R66', token: `alert-token-${randomUUID()}` };
const store = {
  id: 'SubmitStore00001',
  name: 'Submit store',
  type: 'incidentIntakeStoreApi',
  data: { backend: 'sqlite', sqlitePath: join('incident-intake', 'submit.sqlite'), allowedDeliveryHosts: '127.0.0.1' },
};

let n8n: N8nInstance;
let userFolder: string;
let incidentIo: IncidentIoStandIn;

function node(name: string, type: string, parameters: object, position: [number, number], extra: object = {}) {
  return { id: randomUUID(), name, type, typeVersion: 1, position, parameters, ...extra };
}

const storeRef = { incidentIntakeStoreApi: { id: store.id, name: store.name } };
const submitParameters = (sourceId: string, extra: object) => ({ resource: 'event', operation: 'submit', submitSourceId: sourceId, provider: 'generic', messageTrust: 'channel', payloadFrom: 'json', payloadField: 'event', headersField: 'headers', ...extra });

function workflow(): object {
  const hook = node('Messages', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: 'bus-submit', responseMode: 'onReceived', options: {} }, [0, 0], { typeVersion: 2, webhookId: randomUUID() });
  const split = node('One item per message', 'n8n-nodes-base.code', { mode: 'runOnceForAllItems', jsCode: 'return $input.first().json.body.messages.map((message) => ({ json: message }));' }, [250, 0], { typeVersion: 2 });
  // three messages an hour: the fourth of a burst meets the spent budget (malformed bodies count: they are kept)
  const submit = node('Submit', `${PACKAGE_NAME}.incidentIntake`, submitParameters('bus-alerts', { mode: 'review', limits: { sourcePerHour: 3 } }), [500, 0], { credentials: storeRef });
  const create = node(
    'Submit and create',
    `${PACKAGE_NAME}.incidentIntake`,
    submitParameters('bus-create', { tenant: 'acme', mode: 'auto-create', mapping: { fieldOverrides: { override: [{ field: 'title', expression: '"[bus] " & $candidate.title' }] } } }),
    [500, 300],
    // another tenant: within one tenant the same event from another source is a duplicate of the first
    { credentials: storeRef },
  );
  const deliver = node(
    'incident.io',
    `${PACKAGE_NAME}.incidentIo`,
    { resource: 'alertEvent', operation: 'send', tenant: 'acme', incidentId: '={{ $json.incidents[0].incidentId }}' },
    [750, 300],
    { credentials: { ...storeRef, incidentIoAlertSourceApi: { id: 'SubmitAlertSrc01', name: 'incident.io alert source' } } },
  );
  const to = (...names: string[]) => names.map((name) => ({ node: name, type: 'main', index: 0 }));
  return {
    id: WORKFLOW,
    name: 'Submit messages',
    nodes: [hook, split, submit, create, deliver],
    connections: {
      Messages: { main: [to('One item per message')] },
      'One item per message': { main: [to('Submit', 'Submit and create')] },
      // the Incident output (index 1) of the auto-create Submit goes to incident.io
      'Submit and create': { main: [[], to('incident.io'), [], [], []] },
    },
    settings: { executionOrder: 'v1' },
    active: false,
  };
}

const event = (id: string) => ({ id, title: `Backup job ${id} failed`, severity: 'critical', created_at: '2026-11-23T09:00:00Z' });
const MESSAGES = [{ event: event('B-1') }, { event: { id: 'B-2' } }, { event: '{"title": "oops",' }, { event: event('B-3') }];

/** Sends one request of messages and returns the execution it started (the one that reached Submit). */
async function submitMessages(messages: unknown[], seen: number): Promise<ExecutionRecord> {
  const response = await fetch(`${n8n.baseUrl}/webhook/bus-submit`, { method: 'POST', body: JSON.stringify({ messages }), headers: { 'content-type': 'application/json' } });
  expect(response.status, await response.text()).toBe(200);
  // waiting for the webhook to register sends probes that run the workflow too: ours are the ones that reached Submit
  const executions = await n8n.waitForExecutions(WORKFLOW, (all) => all.filter((each) => each.outputs.Submit).length > seen);
  return executions.filter((each) => each.outputs.Submit)[seen]!;
}

beforeAll(async () => {
  if (!N8N_DIR || !PACKAGE_DIR) throw new Error('run through npm run test:n8n (E2E_N8N_DIR and E2E_PACKAGE_DIR are set there)');
  incidentIo = await IncidentIoStandIn.start({ apiKey: 'unused', alertSources: { [ALERT_SOURCE.id]: ALERT_SOURCE.token } });
  userFolder = await mkdtemp(join(tmpdir(), 'n8n-submit-e2e-'));
  n8n = new N8nInstance(N8N_DIR, userFolder, PORT);
  await cp(PACKAGE_DIR, join(userFolder, '.n8n', 'nodes', 'node_modules', ...PACKAGE_NAME.split('/')), { recursive: true });
  const alertSource = { id: 'SubmitAlertSrc01', name: 'incident.io alert source', type: 'incidentIoAlertSourceApi', data: { alertSourceConfigId: ALERT_SOURCE.id, token: ALERT_SOURCE.token, baseUrl: incidentIo.url } };
  await writeFile(join(userFolder, 'credentials.json'), JSON.stringify([store, alertSource]));
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
  await incidentIo?.close();
  if (process.env.E2E_KEEP !== '1' && userFolder) await rm(userFolder, { recursive: true, force: true });
}, 60_000);

describe('Event → Submit in a real n8n 2.41.1', () => {
  it('routes each item to the named output of its route, one paired output item per input item', async () => {
    const execution = await submitMessages(MESSAGES, 0);
    expect(execution.status).toBe('success');
    const outputs = execution.outputs.Submit!;
    expect(outputs).toHaveLength(OUTPUTS.length);
    expect(outputs.map((items) => items.map((item) => item.outcome))).toEqual([['accepted'], [], ['quarantined'], ['malformed', 'source_limit_exceeded'], []]);
    expect(outputs[0]![0]).toMatchObject({ route: 'review', refused: false, sourceId: 'bus-alerts' });
    expect(outputs[3]!.map((item) => item.reason)).toEqual([expect.stringMatching(/not valid JSON/), expect.stringMatching(/now disabled/)]);
    // each output item points back at its input item, in the order the Code node made them
    expect(pairedOutputs(execution, 'Submit')).toEqual({ 0: 'review', 1: 'quarantined', 2: 'refused', 3: 'refused' });
    expect(pairedOutputs(execution, 'Submit and create')).toEqual({ 0: 'incident', 1: 'quarantined', 2: 'refused', 3: 'incident' });
  });

  it('delivers the incidents the auto-create Submit made to incident.io, mapped as configured and within the contract', async () => {
    const execution = (await n8n.waitForExecutions(WORKFLOW, (all) => all.some((each) => each.outputs['incident.io'])))!.find((each) => each.outputs['incident.io'])!;
    const created = execution.outputs['Submit and create']![1]!;
    expect(created.map((item) => (item.incidents as Array<{ change: string }>)[0]!.change)).toEqual(['created', 'created']);
    const delivered = execution.outputs['incident.io']![0]!;
    expect(delivered.map((item) => [item.status, item.eventKind])).toEqual([
      ['delivered', 'incident.created'],
      ['delivered', 'incident.created'],
    ]);
    const alerts = incidentIo.requests.filter((request) => request.path === `/v2/alert_events/http/${ALERT_SOURCE.id}`);
    expect(alerts.map((request) => (request.body as { title: string }).title).sort()).toEqual(['[bus] Backup job B-1 failed', '[bus] Backup job B-3 failed']);
    expect(alerts.every((request) => (request.body as { status: string }).status === 'firing')).toBe(true);
    expect(incidentIo.contractViolations).toEqual([]);
    expect(JSON.stringify(execution.outputs)).not.toContain(ALERT_SOURCE.token);
  });

  it('sends what was taken in before to Skipped, and refuses the rest of the source its burst disabled', async () => {
    const execution = await submitMessages(MESSAGES, 1);
    expect(execution.status).toBe('success');
    // a copy of a stored message is answered as the first time was (replay before source state); B-3 never got in
    expect(pairedOutputs(execution, 'Submit')).toEqual({ 0: 'skipped', 1: 'skipped', 2: 'skipped', 3: 'refused' });
    expect(execution.outputs.Submit![4]!.map((item) => item.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(execution.outputs.Submit![3]![0]).toMatchObject({ outcome: 'source_disabled', refused: true });
    expect(pairedOutputs(execution, 'Submit and create')).toEqual({ 0: 'skipped', 1: 'skipped', 2: 'skipped', 3: 'skipped' });
    // nothing new for incident.io: those incidents were delivered the first time
    expect(execution.outputs['incident.io']).toBeUndefined();
    expect(incidentIo.requests.filter((request) => request.path.startsWith('/v2/alert_events')).length).toBe(2);
  });
});

/** Which output each input item's output item came out on, read from n8n's own run data (its pairedItem). */
function pairedOutputs(execution: ExecutionRecord, name: string): Record<number, string> {
  const { parse } = createRequire(join(N8N_DIR, 'node_modules', 'n8n', 'package.json'))('flatted') as { parse: (text: string) => any };
  const main = parse(execution.raw).resultData.runData[name][0].data.main as Array<Array<{ pairedItem: { item: number } }> | null>;
  const found: Record<number, string> = {};
  main.forEach((items, index) => (items ?? []).forEach((item) => (found[item.pairedItem.item] = OUTPUTS[index]!)));
  return found;
}
