import { afterEach, describe, expect, it } from 'vitest';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';
import { getIncident } from '../../core/incidents/incident-queries';
import { createHash } from 'node:crypto';

let h: IntakeHarness;
afterEach(async () => h?.store.close());

describe('auto-create mode and incident identity', () => {
  it('creates the incident at once with provenance, then applies a resolved update to the same incident', async () => {
    h = await intakeHarness({ mode: 'auto-create' });
    const raw = Buffer.from(JSON.stringify(incidentPayload()));
    const created = await h.send(null, { raw });
    expect(created.code).toBe('accepted');
    expect(created.incidents).toEqual([{ incidentId: expect.stringMatching(/^inc_/), version: 1, change: 'created' }]);
    expect(created.events[0]).toMatchObject({ state: 'promoted', incidentId: created.incidents[0]!.incidentId });

    const resolved = await h.send(incidentPayload({ status: 'resolved' }), { at: h.now + 60_000 });
    expect(resolved.incidents).toEqual([{ incidentId: created.incidents[0]!.incidentId, version: 2, change: 'updated' }]);

    const detail = await getIncident(h.store, 'acme', created.incidents[0]!.incidentId);
    expect(detail.incident).toMatchObject({ status: 'resolved', version: 2, resolvedAt: h.now + 60_000, becameAwareAt: h.now });
    expect(detail.provenance.map((p) => p.role)).toEqual(['created', 'updated']);
    expect(detail.provenance[0]).toMatchObject({ bodySha256: createHash('sha256').update(raw).digest('hex'), mappingVersion: 'pass-through-1', receiptId: created.receiptId });
    expect(detail.audit.map((a) => a.action)).toEqual(['incident.created', 'incident.updated']);
    expect(detail.audit[1]!.details).toMatchObject({ changed: ['status'] });
    expect(await h.store.transaction((r) => r.incidents.list('acme', { view: 'active' }))).toHaveLength(0);
  });

  it('treats a repeat that changes nothing as a duplicate and only refreshes last seen', async () => {
    h = await intakeHarness({ mode: 'auto-create' });
    const created = await h.send(incidentPayload());
    const repeat = await h.send(incidentPayload(), { at: h.now + 4 * 3600_000 });
    expect(repeat.events[0]!.state).toBe('duplicate');
    expect(repeat.incidents).toEqual([]);
    const incident = await h.store.transaction((r) => r.incidents.get('acme', created.incidents[0]!.incidentId));
    expect(incident).toMatchObject({ version: 1, lastSeenAt: h.now + 4 * 3600_000 });
  });

  it('never creates two incidents for one identity under concurrent requests', async () => {
    h = await intakeHarness({ mode: 'auto-create' });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => h.send(incidentPayload({ title: `Database down ${i % 2}` }))));
    expect(results.every((r) => r.status === 202)).toBe(true);
    const incidents = await h.store.transaction((r) => r.incidents.list('acme', { view: 'recent' }));
    expect(incidents).toHaveLength(1);
  });

  it('keeps identities apart per instance', async () => {
    h = await intakeHarness({ mode: 'auto-create' });
    await h.send(incidentPayload({ instance: 'eu.jira.example' }));
    await h.send(incidentPayload({ instance: 'us.jira.example' }));
    const incidents = await h.store.transaction((r) => r.incidents.list('acme', { view: 'active' }));
    expect(incidents.map((i) => i.dedupeKey).sort()).toEqual(['generic:eu.jira.example:INC-1', 'generic:us.jira.example:INC-1']);
  });
});
