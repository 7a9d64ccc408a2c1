import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';
import { promoteEvent } from '../../core/review/promote-event';
import { rejectEvent } from '../../core/review/reject-event';
import { getEvent, listReviewQueue } from '../../core/review/review-queue';
import { addEvidence, classifyIncident, setOwner } from '../../core/incidents/incident-updates';
import { getIncident, listIncidents } from '../../core/incidents/incident-queries';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors';

let h: IntakeHarness;
beforeEach(async () => {
  h = await intakeHarness();
});
afterEach(async () => h.store.close());
const clock = () => ({ now: () => h.now + 600_000 });

describe('review', () => {
  it('lists the queue and promotes an event into an incident with provenance and audit', async () => {
    const sent = await h.send(incidentPayload());
    const queue = await listReviewQueue(h.store, 'acme');
    expect(queue.map((e) => e.id)).toEqual([sent.events[0]!.id]);
    const result = await promoteEvent(h.store, 'acme', sent.events[0]!.id, { actor: 'alice', reason: 'confirmed outage' }, clock());
    expect(result.change).toBe('created');
    expect(result.event).toMatchObject({ state: 'promoted', decidedBy: 'alice', decisionReason: 'confirmed outage', incidentId: result.incident.id });
    expect(result.incident).toMatchObject({ title: 'Database down', severity: 'high', becameAwareAt: h.now, createdAt: h.now + 600_000 });
    expect(await listReviewQueue(h.store, 'acme')).toEqual([]);
    const eventAudit = (await getEvent(h.store, 'acme', sent.events[0]!.id)).audit.map((a) => [a.action, a.actor]);
    expect(eventAudit).toEqual([['event.pending_review', 'system'], ['event.promoted', 'alice']]);
    const detail = await getIncident(h.store, 'acme', result.incident.id);
    expect(detail.provenance).toEqual([expect.objectContaining({ eventId: sent.events[0]!.id, role: 'created', mappingVersion: 'pass-through-1' })]);
    expect(detail.audit[0]).toMatchObject({ action: 'incident.created', actor: 'alice', details: expect.objectContaining({ reason: 'confirmed outage' }) });
  });

  it('lets only one of several concurrent reviewers promote', async () => {
    const sent = await h.send(incidentPayload());
    const id = sent.events[0]!.id;
    const attempts = await Promise.allSettled(['a', 'b', 'c', 'd'].map((actor) => promoteEvent(h.store, 'acme', id, { actor, reason: 'go' })));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const failed of attempts.filter((a) => a.status === 'rejected')) expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(await listIncidents(h.store, 'acme', { view: 'active' })).toHaveLength(1);
  });

  it('rejects with actor and reason; a rejected event cannot be promoted', async () => {
    const sent = await h.send(incidentPayload());
    const id = sent.events[0]!.id;
    await expect(rejectEvent(h.store, 'acme', id, { actor: ' ', reason: 'x' })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(rejectEvent(h.store, 'acme', id, { actor: 'bob', reason: '' })).rejects.toBeInstanceOf(InvalidRequestError);
    const rejected = await rejectEvent(h.store, 'acme', id, { actor: 'bob', reason: 'test noise' });
    expect(rejected).toMatchObject({ state: 'rejected', decidedBy: 'bob', decisionReason: 'test noise' });
    await expect(promoteEvent(h.store, 'acme', id, { actor: 'alice', reason: 'x' })).rejects.toThrow(/is rejected, not pending review/);
    await expect(promoteEvent(h.store, 'acme', 'evt_missing', { actor: 'alice', reason: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects a quarantined event, and cannot reach another tenant\'s events', async () => {
    const sent = await h.send({ externalId: 'Q' });
    await expect(rejectEvent(h.store, 'globex', sent.events[0]!.id, { actor: 'bob', reason: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await rejectEvent(h.store, 'acme', sent.events[0]!.id, { actor: 'bob', reason: 'junk' })).toMatchObject({ state: 'rejected' });
  });

  it('promotes into an existing incident when one with the same identity was created meanwhile', async () => {
    const first = await h.send(incidentPayload());
    await promoteEvent(h.store, 'acme', first.events[0]!.id, { actor: 'a', reason: 'r' });
    const again = await h.send(incidentPayload({ severity: 'critical' }));
    // a known incident is updated directly, not queued again
    expect(again.events[0]!.state).toBe('promoted');
    expect(again.incidents[0]).toMatchObject({ change: 'updated', version: 2 });
  });
});

describe('incident ownership, evidence and classification', () => {
  it('audits every change and computes the regulatory clocks', async () => {
    const sent = await h.send(incidentPayload());
    const { incident } = await promoteEvent(h.store, 'acme', sent.events[0]!.id, { actor: 'alice', reason: 'real' }, clock());
    await setOwner(h.store, 'acme', incident.id, 'carol', 'alice', clock());
    await addEvidence(h.store, 'acme', incident.id, { kind: 'link', value: 'https://wiki.example/postmortem/1' }, 'carol', clock());
    await addEvidence(h.store, 'acme', incident.id, { kind: 'note', value: 'customer reports since 09:55' }, 'carol', clock());
    await expect(addEvidence(h.store, 'acme', incident.id, { kind: 'link', value: 'not a url' }, 'carol')).rejects.toThrow(/absolute URL/);
    const classifiedAt = h.now + 3600_000;
    await classifyIncident(h.store, 'acme', incident.id, { doraMajor: true, nis2Significant: true, classifiedAt }, 'carol', clock());
    const detail = await getIncident(h.store, 'acme', incident.id);
    expect(detail.incident).toMatchObject({ owner: 'carol', doraMajor: true, doraClassifiedAt: classifiedAt, nis2Significant: true });
    expect(detail.evidence.map((e) => e.kind)).toEqual(['link', 'note']);
    expect(detail.audit.map((a) => a.action)).toEqual(['incident.created', 'incident.owner_set', 'incident.evidence_added', 'incident.evidence_added', 'incident.classified']);
    // aware 12:00, classified 13:00 → DORA initial at min(17:00, next day 12:00) = 17:00
    expect(detail.deadlines.dora[0]).toMatchObject({ report: 'dora.initial', due: '2026-11-23T17:00:00.000Z' });
    expect(detail.deadlines.nis2.map((d) => d.due)).toEqual(['2026-11-24T12:00:00.000Z', '2026-11-26T12:00:00.000Z', '2026-12-26T12:00:00.000Z']);
    expect(await h.store.transaction((r) => r.audit.verifyChain('acme'))).toBeUndefined();
  });
});
