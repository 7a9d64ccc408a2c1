import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IncidentIntake } from '../../nodes/IncidentIntake/IncidentIntake.node';
import { openStoreCount } from '../../nodes/shared/store-cache';
import { executeContext, type ContextOptions } from './support/fake-context';
import { genericEvent, newWebhookSecret, signed, tempStore } from './support/fixtures';

const node = new IncidentIntake();
const secret = newWebhookSecret();
let store: Awaited<ReturnType<typeof tempStore>>;

const credentials = () => ({ incidentIntakeStoreApi: store.credential, incidentIntakeSourceAuthApi: { scheme: 'standard-webhooks', secret } });
const submitParameters = (extra: Record<string, unknown> = {}) => ({
  tenant: 'default', resource: 'event', operation: 'submit', submitSourceId: 'bus-alerts', provider: 'generic', mode: 'review', messageTrust: 'channel', payloadFrom: 'json', payloadField: '', headersField: 'headers', ...extra,
});

async function submit(items: ContextOptions['items'], parameters: Record<string, unknown> = {}) {
  const [output] = await node.execute.call(executeContext({ parameters: submitParameters(parameters), credentials: credentials(), items }));
  return output!;
}

beforeEach(async () => {
  store = await tempStore();
});
afterEach(async () => store.cleanup());

describe('Incident Intake node: Event → Submit', () => {
  it('takes each item through the pipeline, one output item per input item, paired', async () => {
    const output = await submit([{ json: genericEvent('bus-1') }, { json: { type: 'incident.created', data: { id: 'bus-2' } } }, { json: genericEvent('bus-1') }]);
    expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
    expect(output.map((item) => [item.json.route, item.json.outcome, item.json.refused])).toEqual([
      ['review', 'accepted', false],
      ['quarantined', 'quarantined', false],
      ['duplicate', 'duplicate', false],
    ]);
    const [review] = await node.execute.call(executeContext({ parameters: { tenant: 'default', resource: 'event', operation: 'listReviewQueue', limit: 10 }, credentials: credentials() }));
    expect(review!.map((item) => item.json.id)).toEqual([(output[0]!.json.events as Array<{ id: string }>)[0]!.id]);
    expect(openStoreCount()).toBe(0);
  });

  it('refuses a malformed body and a missing payload as items with a reason, and goes on with the rest', async () => {
    const output = await submit(
      [{ json: { body: '{"title": "oops",' } }, { json: {} }, { json: { body: JSON.stringify(genericEvent('bus-3')) } }],
      { payloadField: 'body' },
    );
    expect(output.map((item) => [item.json.route, item.json.outcome])).toEqual([['refused', 'malformed'], ['refused', 'malformed'], ['review', 'accepted']]);
    expect(output[0]!.json.reason).toMatch(/not valid JSON/);
    expect(output[1]!.json.reason).toMatch(/no payload/);
  });

  it('verifies a signature carried in the item headers against the raw body in a binary property', async () => {
    const good = signed(secret, genericEvent('bus-4'));
    const forged = { ...good, rawBody: Buffer.from(JSON.stringify(genericEvent('bus-5'))) };
    const item = (request: { headers: Record<string, string>; rawBody: Buffer }) => ({ json: { headers: request.headers }, binary: { data: { data: request.rawBody.toString('base64'), mimeType: 'application/json' } } });
    const output = await submit([item(good), item(forged), { json: { headers: {} } }], { messageTrust: 'signature', payloadFrom: 'binary', binaryProperty: 'data' });
    expect(output.map((item) => [item.json.route, item.json.outcome])).toEqual([['review', 'accepted'], ['refused', 'unauthorized'], ['refused', 'malformed']]);
    expect(output[1]!.json.reason).toMatch(/authentication failed/);
    expect(JSON.stringify(output)).not.toContain(secret);
  });

  it('refuses the items of a disabled source with the reason and a retry hint', async () => {
    const [first] = await submit([{ json: genericEvent('bus-6') }]);
    expect(first!.json.outcome).toBe('accepted');
    await node.execute.call(executeContext({ parameters: { tenant: 'default', resource: 'source', operation: 'disable', sourceId: 'bus-alerts', actor: 'ops', reason: 'maintenance' }, credentials: credentials() }));
    const [refused] = await submit([{ json: genericEvent('bus-7') }]);
    expect(refused!.json).toMatchObject({ route: 'refused', outcome: 'source_disabled', refused: true, retryAfterSeconds: 300 });
    expect(refused!.json.reason).toMatch(/maintenance/);
  });
});
