import { afterEach, describe, expect, it } from 'vitest';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';
import { disableSourceManually, enableSource, listQuarantined, registerSource, sourceHealth } from '../../core/sources/source-admin';
import { rotateSourceSecret } from '../../core/sources/secret-rotation';
import { generateStandardWebhookSecret } from '../../core/signing';
import { handleIntake } from '../../core/intake/handle-intake';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { openSqliteStore } from '../../core/store';

let h: IntakeHarness;
afterEach(async () => h?.store.close().catch(() => undefined));

describe('source administration', () => {
  it('registers a source once and audits it', async () => {
    h = await intakeHarness();
    const first = await registerSource(h.store, h.source);
    await registerSource(h.store, h.source);
    expect(first).toMatchObject({ tenant: 'acme', id: 'src-1', provider: 'generic', enabled: true });
    const audit = await h.store.transaction((r) => r.audit.forSubject('acme', 'source', 'src-1'));
    expect(audit.map((a) => [a.action, a.details])).toEqual([['source.created', { provider: 'generic', scheme: 'standard-webhooks', mode: 'review' }]]);
  });

  it('disables by hand with a reason, answers 503 while disabled, and can be force-enabled (audited)', async () => {
    h = await intakeHarness();
    await registerSource(h.store, h.source);
    await expect(disableSourceManually(h.store, 'acme', 'src-1', '', 'ops')).rejects.toThrow(/reason/);
    const disabled = await disableSourceManually(h.store, 'acme', 'src-1', 'maintenance window', 'ops');
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'maintenance window' });
    expect(await h.send(incidentPayload())).toMatchObject({ code: 'source_disabled', status: 503, headers: { 'Retry-After': '300' } });
    const enabled = await enableSource(h.store, 'acme', 'src-1', 'ops', { force: true });
    expect(enabled.enabled).toBe(true);
    const audit = await h.store.transaction((r) => r.audit.forSubject('acme', 'source', 'src-1'));
    expect(audit.at(-1)).toMatchObject({ action: 'source.enabled', details: { forced: true, previousReason: 'maintenance window' } });
  });

  it('lists recent quarantined events and reports health', async () => {
    h = await intakeHarness();
    await h.send({ externalId: 'Q1' });
    await h.send(incidentPayload());
    const quarantined = await listQuarantined(h.store, 'acme', 'src-1');
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]!.reasons.map((r) => r.field)).toContain('title');
    const health = await sourceHealth(h.store, 'acme', 'src-1', { now: () => h.now });
    expect(health).toMatchObject({ last24h: { quarantined: 1, pending_review: 1 }, requestsThisHour: 2, tenantRequestsToday: 2, source: { lastError: expect.stringMatching(/^quarantined: title/) } });
  });

  it('rotates a secret with a grace period: both verify until it ends, then only the new one; never audits the secret', async () => {
    h = await intakeHarness();
    const newSecret = generateStandardWebhookSecret();
    const { secrets } = await rotateSourceSecret(h.store, h.source, { newSecret, graceSeconds: 600, actor: 'ops' }, { now: () => h.now });
    expect(secrets).toEqual([{ value: newSecret }, { value: h.secret, expiresAt: h.now + 600_000 }]);
    const rotated = { ...h.source, auth: { ...h.source.auth, secrets } };
    expect((await h.send(incidentPayload({ externalId: 'old' }), { source: rotated })).status).toBe(202);
    expect((await h.send(incidentPayload({ externalId: 'late' }), { source: rotated, at: h.now + 601_000 })).status).toBe(401);
    const immediate = await rotateSourceSecret(h.store, h.source, { newSecret, graceSeconds: 0, actor: 'ops' }, { now: () => h.now });
    expect(immediate.secrets).toEqual([{ value: newSecret }]);
    const audit = JSON.stringify(await h.store.transaction((r) => r.audit.list('acme', 100)));
    expect(audit).not.toContain(newSecret);
    expect(audit).not.toContain(h.secret);
  });

  it('answers 503 when the store is unavailable, writing nothing', async () => {
    h = await intakeHarness();
    const store = await openSqliteStore(':memory:');
    await store.close();
    const raw = Buffer.from(JSON.stringify(incidentPayload()));
    const result = await handleIntake(h.source, { headers: {}, rawBody: raw }, { store, normaliser: passThroughNormaliser });
    // unsigned: refused before the store is touched
    expect(result.status).toBe(401);
    const signed = await h.send(incidentPayload(), { source: h.source });
    expect(signed.status).toBe(202);
    const { signRequest } = await import('../../core/signing');
    const headers = signRequest('standard-webhooks', h.secret, raw, { id: 'x1' });
    const unavailable = await handleIntake(h.source, { headers, rawBody: raw }, { store, normaliser: passThroughNormaliser });
    expect(unavailable).toMatchObject({ code: 'store_unavailable', status: 503, headers: { 'Retry-After': '30' }, stored: false });
  });
});
