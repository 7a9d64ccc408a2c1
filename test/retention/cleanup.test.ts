import { afterEach, describe, expect, it } from 'vitest';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';
import { cleanupRetention } from '../../core/retention/cleanup';
import { promoteEvent } from '../../core/review/promote-event';
import { rejectEvent } from '../../core/review/reject-event';
import { getIncident } from '../../core/incidents/incident-queries';

let h: IntakeHarness;
afterEach(async () => h?.store.close());

describe('retention cleanup', () => {
  it('removes old unattached events and their bodies, keeps promoted provenance and the audit trail', async () => {
    h = await intakeHarness();
    const promoted = await h.send(incidentPayload({ externalId: 'P' }));
    const rejected = await h.send(incidentPayload({ externalId: 'R' }));
    const quarantined = await h.send({ externalId: 'Q' });
    const pending = await h.send(incidentPayload({ externalId: 'W' }));
    const { incident } = await promoteEvent(h.store, 'acme', promoted.events[0]!.id, { actor: 'a', reason: 'r' });
    await rejectEvent(h.store, 'acme', rejected.events[0]!.id, { actor: 'a', reason: 'noise' });
    const recent = await h.send({ externalId: 'Q2' }, { at: h.now + 29 * 86_400_000 });
    const auditBefore = (await h.store.transaction((r) => r.audit.list('acme', 1000))).length;

    const progress: number[] = [];
    const result = await cleanupRetention(h.store, { tenant: 'acme', olderThanDays: 7, batchSize: 1, onProgress: (p) => progress.push(p.events) }, { now: () => h.now + 30 * 86_400_000 });
    expect(result).toMatchObject({ events: 2, receipts: 2 });
    expect(progress.at(-1)).toBe(2);
    const remaining = await h.store.transaction((r) => r.events.countByState('acme'));
    expect(remaining).toEqual({ promoted: 1, pending_review: 1, quarantined: 1 });
    for (const gone of [rejected, quarantined]) expect(await h.store.transaction((r) => r.receipts.get('acme', gone.receiptId!))).toBeUndefined();
    for (const kept of [promoted, pending, recent]) expect(await h.store.transaction((r) => r.receipts.body('acme', kept.receiptId!))).toBeDefined();
    expect((await getIncident(h.store, 'acme', incident.id)).provenance).toHaveLength(1);
    expect((await h.store.transaction((r) => r.audit.list('acme', 1000))).length).toBe(auditBefore);
    expect(await h.store.transaction((r) => r.audit.verifyChain('acme'))).toBeUndefined();
  });
});
