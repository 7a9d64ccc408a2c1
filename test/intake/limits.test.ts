import { afterEach, describe, expect, it } from 'vitest';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';
import { enableSource, sourceHealth } from '../../core/sources/source-admin';

let h: IntakeHarness;
afterEach(async () => h?.store.close());

const source = (harness: IntakeHarness) => harness.store.transaction((r) => r.sources.get('acme', 'src-1'));

describe('limits', () => {
  it('answers 429 with Retry-After until the UTC day ends once the tenant budget is spent', async () => {
    h = await intakeHarness({ limits: { tenantPerDay: 3 } });
    for (let i = 0; i < 3; i++) expect((await h.send(incidentPayload({ externalId: `E${i}` }))).status).toBe(202);
    const refused = await h.send(incidentPayload({ externalId: 'E3' }));
    expect(refused).toMatchObject({ code: 'tenant_budget_exhausted', status: 429, stored: false });
    // now is 12:00 UTC, so the window clears in 12 h
    expect(refused.headers['Retry-After']).toBe(String(12 * 3600));
    expect((await source(h))?.enabled).toBe(true);
    const nextDay = await h.send(incidentPayload({ externalId: 'E4' }), { at: h.now + 12 * 3600_000 });
    expect(nextDay.status).toBe(202);
  });

  it('shares the tenant budget across sources of the same tenant only', async () => {
    h = await intakeHarness({ limits: { tenantPerDay: 2 } });
    const other = { ...h.source, id: 'src-2' };
    const otherTenant = { ...h.source, tenant: 'globex' };
    expect((await h.send(incidentPayload({ externalId: 'A' }))).status).toBe(202);
    expect((await h.send(incidentPayload({ externalId: 'B' }), { source: other })).status).toBe(202);
    expect((await h.send(incidentPayload({ externalId: 'C' }), { source: other })).status).toBe(429);
    expect((await h.send(incidentPayload({ externalId: 'D' }), { source: otherTenant })).status).toBe(202);
  });

  it('auto-disables a source that exceeds its hourly limit and keeps answering 503 until re-enabled after a clean test', async () => {
    h = await intakeHarness({ limits: { sourcePerHour: 2 } });
    await h.send(incidentPayload({ externalId: 'A' }));
    await h.send(incidentPayload({ externalId: 'B' }));
    const tipped = await h.send(incidentPayload({ externalId: 'C' }));
    expect(tipped).toMatchObject({ code: 'source_limit_exceeded', status: 503, stored: false });
    expect(tipped.headers['Retry-After']).toBe('300');
    expect(await source(h)).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/limit of 2 requests per hour/) });
    const later = await h.send(incidentPayload({ externalId: 'D' }), { at: h.now + 3600_000 });
    expect(later).toMatchObject({ code: 'source_disabled', status: 503 });
    expect(later.reason).toMatch(/disabled \(the source exceeded/);

    const clock = { now: () => h.now + 3600_000 };
    await expect(enableSource(h.store, 'acme', 'src-1', 'alice', {}, clock)).rejects.toThrow(/clean test event/);
    const failedTest = await h.send({ externalId: 'T' }, { headers: { 'x-incident-intake-test': '1' }, at: h.now + 3600_000 });
    expect(failedTest).toMatchObject({ code: 'test_failed', status: 422 });
    await expect(enableSource(h.store, 'acme', 'src-1', 'alice', {}, clock)).rejects.toThrow(/clean test event/);
    const test = await h.send(incidentPayload({ externalId: 'T' }), { headers: { 'x-incident-intake-test': '1' }, at: h.now + 3600_000 });
    expect(test).toMatchObject({ code: 'test_passed', status: 200, stored: false });
    expect(await enableSource(h.store, 'acme', 'src-1', 'alice', {}, clock)).toMatchObject({ enabled: true });
    expect((await h.send(incidentPayload({ externalId: 'E' }), { at: h.now + 3600_000 + 1 })).status).toBe(202);
    const audit = await h.store.transaction((r) => r.audit.forSubject('acme', 'source', 'src-1'));
    expect(audit.map((a) => a.action)).toEqual(['source.disabled', 'source.test_passed', 'source.enabled']);
    const events = await h.store.transaction((r) => r.events.countByState('acme'));
    expect(events).toEqual({ pending_review: 3 });
  });

  it('auto-disables a source whose events keep being quarantined', async () => {
    h = await intakeHarness({ limits: { quarantineDisableCount: 3, quarantineWindowSeconds: 600 } });
    for (let i = 0; i < 2; i++) expect((await h.send({ externalId: `Q${i}` })).code).toBe('quarantined');
    expect((await source(h))?.enabled).toBe(true);
    expect((await h.send({ externalId: 'Q2' })).code).toBe('quarantined');
    expect(await source(h)).toMatchObject({ enabled: false, disabledReason: '3 events quarantined within 600 s' });
    expect((await h.send(incidentPayload())).code).toBe('source_disabled');
    const health = await sourceHealth(h.store, 'acme', 'src-1', { now: () => h.now });
    expect(health).toMatchObject({ last24h: { quarantined: 3 }, requestsThisHour: 3, source: { enabled: false } });
  });

  it('does not count transport retries against any budget', async () => {
    h = await intakeHarness({ limits: { tenantPerDay: 1 } });
    expect((await h.send(incidentPayload(), { id: 'same' })).status).toBe(202);
    for (let i = 0; i < 3; i++) expect((await h.send(incidentPayload(), { id: 'same' })).code).toBe('duplicate');
  });
});
