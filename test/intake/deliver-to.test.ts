import { afterEach, describe, expect, it } from 'vitest';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';
import { handleIntake } from '../../core/intake/handle-intake';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { promoteEvent } from '../../core/review/promote-event';
import { enqueueDelivery } from '../../core/delivery';
import { signRequest } from '../../core/signing';

let h: IntakeHarness;
afterEach(async () => h?.store.close());

const target = { tenant: 'acme', id: 'hook-1', kind: 'webhook' };
const deliveries = (harness: IntakeHarness) => harness.store.transaction((r) => r.deliveries.list('acme', {}));

function sendWithTargets(harness: IntakeHarness, payload: unknown, id: string, deliverTo = [target]) {
  const raw = Buffer.from(JSON.stringify(payload));
  const headers = signRequest('standard-webhooks', harness.secret, raw, { id, timestamp: Math.floor(harness.now / 1000) });
  return handleIntake(harness.source, { headers, rawBody: raw, receivedAt: new Date(harness.now) }, { store: harness.store, normaliser: passThroughNormaliser, deliverTo });
}

describe('deliveries enqueued in the same transaction as the incident change', () => {
  it('auto-create and later updates enqueue one delivery per version for each target of the tenant', async () => {
    h = await intakeHarness({ mode: 'auto-create' });
    const created = await sendWithTargets(h, incidentPayload(), 'm1', [target, { tenant: 'globex', id: 'other', kind: 'webhook' }]);
    await sendWithTargets(h, incidentPayload({ status: 'resolved' }), 'm2');
    const queued = await deliveries(h);
    expect(queued.map((d) => [d.destinationId, d.incidentId, d.eventVersion, d.eventKind]).sort()).toEqual([
      ['hook-1', created.incidents[0]!.incidentId, 1, 'incident.created'],
      ['hook-1', created.incidents[0]!.incidentId, 2, 'incident.resolved'],
    ]);
    // the delivery node's own enqueue of the same change is a no-op: same idempotency key
    const incident = (await h.store.transaction((r) => r.incidents.get('acme', created.incidents[0]!.incidentId)))!;
    expect((await enqueueDelivery(h.store, { destination: target, incident })).created).toBe(false);
  });

  it('a review-mode event enqueues nothing until it is promoted, then in the promotion transaction', async () => {
    h = await intakeHarness();
    const sent = await sendWithTargets(h, incidentPayload(), 'm3');
    expect(await deliveries(h)).toEqual([]);
    const promoted = await promoteEvent(h.store, 'acme', sent.events[0]!.id, { actor: 'alice', reason: 'real' }, undefined, { deliverTo: [target] });
    expect((await deliveries(h)).map((d) => [d.incidentId, d.eventVersion])).toEqual([[promoted.incident.id, 1]]);
  });
});
