import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { INodeExecutionData } from 'n8n-workflow';
import { IncidentIntake } from '../../nodes/IncidentIntake/IncidentIntake.node';
import { configuredOutputs, SUBMIT_OUTPUTS } from '../../nodes/IncidentIntake/resources/event-submit';
import { IncidentIntakeTrigger } from '../../nodes/IncidentIntakeTrigger/IncidentIntakeTrigger.node';
import { leasedStoreCount } from '../../nodes/shared/store-cache';
import { executeContext, type ContextOptions } from './support/fake-context';
import { genericEvent, newWebhookSecret, signed, tempStore } from './support/fixtures';

const node = new IncidentIntake();
const secret = newWebhookSecret();
let store: Awaited<ReturnType<typeof tempStore>>;

const credentials = () => ({ incidentIntakeStoreApi: store.credential, incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret } });
const submitParameters = (extra: Record<string, unknown> = {}) => ({
  tenant: 'default', resource: 'event', operation: 'submit', submitSourceId: 'bus-alerts', provider: 'generic', mode: 'review', messageTrust: 'channel', payloadFrom: 'json', payloadField: '', headersField: 'headers', ...extra,
});

/** Each input item's output item, in input order, with the name of the output it came out on. */
async function submit(items: ContextOptions['items'], parameters: Record<string, unknown> = {}) {
  const outputs = await node.execute.call(executeContext({ parameters: submitParameters(parameters), credentials: credentials(), items }));
  expect(outputs).toHaveLength(SUBMIT_OUTPUTS.length);
  const routed = outputs.flatMap((items, index) => items.map((item) => ({ ...item, output: SUBMIT_OUTPUTS[index]! })));
  return routed.sort((a, b) => pairedIndex(a) - pairedIndex(b));
}

const pairedIndex = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

beforeEach(async () => {
  store = await tempStore();
});
afterEach(async () => store.cleanup());

describe('Incident Intake node: Event → Submit', () => {
  it('takes each item through the pipeline, one output item per input item, paired, on the output of its route', async () => {
    const output = await submit([{ json: genericEvent('bus-1') }, { json: { type: 'incident.created', data: { id: 'bus-2' } } }, { json: genericEvent('bus-1') }]);
    expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
    expect(output.map((item) => [item.output, item.json.route, item.json.outcome, item.json.refused])).toEqual([
      ['review', 'review', 'accepted', false],
      ['quarantined', 'quarantined', 'quarantined', false],
      // a duplicate was routed the first time: it is not sent on to review twice
      ['skipped', 'skipped', 'duplicate', false],
    ]);
    const [review] = await node.execute.call(executeContext({ parameters: { tenant: 'default', resource: 'event', operation: 'listReviewQueue', limit: 10 }, credentials: credentials() }));
    expect(review!.map((item) => item.json.id)).toEqual([(output[0]!.json.events as Array<{ id: string }>)[0]!.id]);
    expect(leasedStoreCount()).toBe(0);
  });

  it('sends auto-created incidents to the Incident output', async () => {
    const output = await submit([{ json: genericEvent('bus-ac-1') }, { json: genericEvent('bus-ac-1', { status: 'resolved' }) }], { mode: 'auto-create' });
    expect(output.map((item) => [item.output, item.json.outcome])).toEqual([['incident', 'accepted'], ['incident', 'accepted']]);
    const [created, updated] = output.map((item) => (item.json.incidents as Array<{ incidentId: string; change: string }>)[0]!);
    expect([created!.change, updated!.change]).toEqual(['created', 'updated']);
    expect(updated!.incidentId).toBe(created!.incidentId);
  });

  it('refuses a malformed body and a missing payload as items with a reason, and goes on with the rest', async () => {
    const output = await submit(
      [{ json: { body: '{"title": "oops",' } }, { json: {} }, { json: { body: JSON.stringify(genericEvent('bus-3')) } }],
      { payloadField: 'body' },
    );
    expect(output.map((item) => [item.output, item.json.outcome])).toEqual([['refused', 'malformed'], ['refused', 'malformed'], ['review', 'accepted']]);
    expect(output[0]!.json.reason).toMatch(/not valid JSON/);
    expect(output[1]!.json.reason).toMatch(/no payload/);
  });

  it('verifies a signature carried in the item headers against the raw body in a binary property', async () => {
    const good = signed(secret, genericEvent('bus-4'));
    const forged = { ...good, rawBody: Buffer.from(JSON.stringify(genericEvent('bus-5'))) };
    const item = (request: { headers: Record<string, string>; rawBody: Buffer }) => ({ json: { headers: request.headers }, binary: { data: { data: request.rawBody.toString('base64'), mimeType: 'application/json' } } });
    const output = await submit([item(good), item(forged), { json: { headers: {} } }], { messageTrust: 'signature', payloadFrom: 'binary', binaryProperty: 'data' });
    expect(output.map((item) => [item.output, item.json.outcome])).toEqual([['review', 'accepted'], ['refused', 'unauthorized'], ['refused', 'malformed']]);
    expect(output[1]!.json.reason).toMatch(/authentication failed/);
    expect(JSON.stringify(output)).not.toContain(secret);
  });

  it('refuses the items of a disabled source with the reason and a retry hint', async () => {
    const [first] = await submit([{ json: genericEvent('bus-6') }]);
    expect(first!.json.outcome).toBe('accepted');
    await node.execute.call(executeContext({ parameters: { tenant: 'default', resource: 'source', operation: 'disable', sourceId: 'bus-alerts', actor: 'ops', reason: 'maintenance' }, credentials: credentials() }));
    const [refused] = await submit([{ json: genericEvent('bus-7') }]);
    expect(refused!.output).toBe('refused');
    expect(refused!.json).toMatchObject({ route: 'refused', outcome: 'source_disabled', refused: true, retryAfterSeconds: 300 });
    expect(refused!.json.reason).toMatch(/maintenance/);
  });

  it('keeps a configuration error on the Refused output with Continue On Fail, paired with its item', async () => {
    const outputs = await node.execute.call(
      executeContext({ parameters: submitParameters({ mapping: { expression: '$$.(' } }), credentials: credentials(), items: [{ json: genericEvent('bus-8') }], continueOnFail: true }),
    );
    expect(outputs.map((items) => items.length)).toEqual([0, 0, 0, 1, 0]);
    expect(outputs[3]![0]).toMatchObject({ pairedItem: { item: 0 }, json: { error: expect.stringMatching(/mapping/) } });
  });
});

describe('Incident Intake node: named outputs', () => {
  // n8n evaluates the description's `outputs` expression with the node's parameters: the function must stand alone
  const evaluateOutputs = (parameters: Record<string, unknown>) => {
    const expression = String(node.description.outputs);
    expect(expression.startsWith('={{') && expression.endsWith('}}')).toBe(true);
    return new Function('$parameter', `return ${expression.slice(3, -2)};`)(parameters) as unknown[];
  };

  it('gives Submit the Trigger outputs, then Refused and Skipped; every other operation one main output', () => {
    const trigger = new IncidentIntakeTrigger().description;
    const names = evaluateOutputs({ resource: 'event', operation: 'submit' }).map((output) => (output as { displayName: string }).displayName);
    expect(names.slice(0, 3)).toEqual(trigger.outputNames);
    expect(names).toEqual(['Review', 'Incident', 'Quarantined', 'Refused', 'Skipped']);
    expect(names.map((name) => name.toLowerCase())).toEqual([...SUBMIT_OUTPUTS]);
    expect(evaluateOutputs({ operation: 'submit' })).toEqual(configuredOutputs({ resource: 'event', operation: 'submit' }));
    for (const parameters of [{ resource: 'event', operation: 'listReviewQueue' }, { resource: 'event' }, {}, { resource: 'incident', operation: 'get' }, { resource: 'mapping', operation: 'test' }]) {
      expect(evaluateOutputs(parameters)).toEqual(['main']);
    }
  });

  it('returns one output for the other operations', async () => {
    await submit([{ json: genericEvent('bus-9') }]);
    const outputs = await node.execute.call(executeContext({ parameters: { tenant: 'default', resource: 'event', operation: 'listReviewQueue', limit: 10 }, credentials: credentials() }));
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toHaveLength(1);
  });
});

describe('Incident Intake node: Submit source settings', () => {
  const check = (id: string, status: string) => ({ check: { id, name: 'Checkout latency', status, since: '2024-06-10T08:40:00Z', host: 'web-3' }, owner: 'payments' });
  const expression = `{
    "externalId": check.id,
    "title": check.name & " on " & check.host,
    "detectedAt": check.since,
    "severity": check.status = "CRIT" ? "critical" : "medium",
    "status": check.status = "OK" ? "resolved" : "open",
    "labels": { "owner": owner }
  }`;

  it('maps with a custom JSONata mapping, field overrides and custom fields, as the Trigger does', async () => {
    const mapping = {
      expression,
      fieldOverrides: { override: [{ field: 'title', expression: '"[bus] " & $candidate.title' }] },
      customFields: { field: [{ name: 'host', expression: 'check.host' }] },
    };
    const output = await submit([{ json: check('chk-1', 'CRIT') }, { json: check('chk-2', 'WARN') }], { mapping });
    expect(output.map((item) => item.output)).toEqual(['review', 'review']);
    const [review] = await node.execute.call(executeContext({ parameters: { tenant: 'default', resource: 'event', operation: 'listReviewQueue', limit: 10 }, credentials: credentials() }));
    const candidates = review!.map((item) => item.json.candidate as Record<string, any>).sort((a, b) => a.externalId.localeCompare(b.externalId));
    expect(candidates.map((candidate) => [candidate.externalId, candidate.title, candidate.severity, candidate.labels.owner, candidate.labels.host, candidate.detectedAt])).toEqual([
      ['chk-1', '[bus] Checkout latency on web-3', 'critical', 'payments', 'web-3', '2024-06-10T08:40:00.000Z'],
      ['chk-2', '[bus] Checkout latency on web-3', 'medium', 'payments', 'web-3', '2024-06-10T08:40:00.000Z'],
    ]);
  });

  it('skips what the severity filter leaves out, and quarantines what the custom mapping cannot map', async () => {
    const output = await submit([{ json: check('chk-3', 'WARN') }, { json: check('chk-4', 'CRIT') }, { json: { unrelated: true } }], { severityFilter: ['critical'], mapping: { expression } });
    expect(output.map((item) => [item.output, item.json.outcome])).toEqual([['skipped', 'filtered'], ['review', 'accepted'], ['quarantined', 'quarantined']]);
  });

  it('refuses a bad mapping with the problem, before any item is stored', async () => {
    await expect(submit([{ json: genericEvent('bus-10') }], { mapping: { expression: '$$.(' } })).rejects.toThrow(/mapping/);
    const [review] = await node.execute.call(executeContext({ parameters: { tenant: 'default', resource: 'event', operation: 'listReviewQueue', limit: 10 }, credentials: credentials() }));
    expect(review).toHaveLength(0);
  });

  it('applies the body cap and the hourly source limit to items', async () => {
    const big = genericEvent('bus-big', { description: 'x'.repeat(4096) });
    const [capped, small] = await submit([{ json: big }, { json: genericEvent('bus-small') }], { limits: { maxBodyKb: 2 } });
    expect([capped!.output, capped!.json.outcome, small!.output]).toEqual(['refused', 'payload_too_large', 'review']);
    const burst = await submit([1, 2, 3, 4].map((n) => ({ json: genericEvent(`bus-burst-${n}`) })), { submitSourceId: 'bus-burst', limits: { sourcePerHour: 2 } });
    expect(burst.map((item) => [item.output, item.json.outcome])).toEqual([
      ['review', 'accepted'],
      ['review', 'accepted'],
      ['refused', 'source_limit_exceeded'],
      ['refused', 'source_disabled'],
    ]);
    expect(burst[2]!.json.reason).toMatch(/now disabled/);
  });
});
