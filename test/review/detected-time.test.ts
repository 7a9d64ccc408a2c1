import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { intakeHarness, type IntakeHarness } from '../support/intake-fixture';
import { createNormaliser, type ClosableNormaliser } from '../../core/mapping/create-normaliser';
import { promoteEvent } from '../../core/review/promote-event';
import { getEvent, listReviewQueue } from '../../core/review/review-queue';
import { getIncident } from '../../core/incidents/incident-queries';

// The generic preset through the real intake and store: where each detectedAt came from must reach the
// review queue, the event's audit trail and the incident's, so a reviewer sees a clock that started at receipt.
let h: IntakeHarness;
let normaliser: ClosableNormaliser;
beforeEach(async () => {
  normaliser = createNormaliser({ provider: 'generic' });
  h = await intakeHarness({}, normaliser);
});
afterEach(async () => {
  await h.store.close();
  await normaliser.close();
});

describe('where detectedAt came from', () => {
  it('the review queue and the audit trail say payload for an event time and received for a body without one', async () => {
    const timed = await h.send({ title: 'App Crash on Startup', severity: 'CRITICAL', createdAt: 1624623123000, id: 'crash-1' });
    const untimed = await h.send({ title: 'Nightly job failed', severity: 'high', dedup_key: 'job-7' });
    const queue = await listReviewQueue(h.store, 'acme');
    const byId = new Map(queue.map((entry) => [entry.id, entry]));
    expect(byId.get(timed.events[0]!.id)).toMatchObject({ detectedAt: '2021-06-25T12:12:03.000Z', detectedAtSource: 'payload' });
    const received = new Date(h.now).toISOString();
    expect(byId.get(untimed.events[0]!.id)).toMatchObject({ detectedAt: received, detectedAtSource: 'received', candidate: expect.objectContaining({ detectedAtSource: 'received' }) });

    const eventAudit = (await getEvent(h.store, 'acme', untimed.events[0]!.id)).audit;
    expect(eventAudit[0]).toMatchObject({ action: 'event.pending_review', details: expect.objectContaining({ detectedAt: received, detectedAtSource: 'received' }) });

    const promoted = await promoteEvent(h.store, 'acme', untimed.events[0]!.id, { actor: 'alice', reason: 'real' });
    expect(promoted.incident.canonical).toMatchObject({ detectedAt: received, detectedAtSource: 'received' });
    const detail = await getIncident(h.store, 'acme', promoted.incident.id);
    expect(detail.audit[0]).toMatchObject({ action: 'incident.created', details: expect.objectContaining({ detectedAt: received, detectedAtSource: 'received' }) });
    expect(await h.store.transaction((r) => r.audit.verifyChain('acme'))).toBeUndefined();
  });

  it('a quarantined event records in its audit entry the time text that arrived', async () => {
    const sent = await h.send({ severity: 'high', dedup_key: 'no-title', detected_at: 'not a date' });
    expect(sent.events[0]!.state).toBe('quarantined');
    const [entry] = (await getEvent(h.store, 'acme', sent.events[0]!.id)).audit;
    expect(entry.details).toMatchObject({ detectedAt: 'not a date', detectedAtSource: 'payload' });
  });
});
