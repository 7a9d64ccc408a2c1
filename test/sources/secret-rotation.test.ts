import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleIntake } from '../../core/intake/handle-intake';
import { parseSourceConfig, type SourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { generateStandardWebhookSecret, signRequest, type SchemeName } from '../../core/signing';
import { planRotation, revokePreviousSecrets, rotateSourceSecret } from '../../core/sources/secret-rotation';
import { registerSource, sourceHealth } from '../../core/sources/source-admin';
import { openPostgresStore, openSqliteStore, type Store } from '../../core/store';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';
import { incidentPayload } from '../support/intake-fixture';

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const HOUR = 3_600_000;
const support = postgresSupport();
let cluster: PostgresCluster | undefined;

beforeAll(async () => {
  if (support.binaries) cluster = await PostgresCluster.start(support.binaries);
}, 120_000);
afterAll(async () => cluster?.destroy());

const backends: Array<[string, () => Promise<Store>]> = [
  ['SQLite', () => openSqliteStore(':memory:')],
  ...(support.binaries ? [['PostgreSQL', async () => openPostgresStore(await cluster!.createSchema())] as [string, () => Promise<Store>]] : []),
];

function sourceWith(secrets: SourceConfig['auth']['secrets'], scheme: SchemeName = 'standard-webhooks'): SourceConfig {
  return parseSourceConfig({ tenant: 'acme', id: 'src-rot', provider: 'generic', auth: { scheme, secrets } });
}

let counter = 0;
function send(store: Store, source: SourceConfig, secret: string, at: number) {
  const raw = Buffer.from(JSON.stringify(incidentPayload({ externalId: `E-${++counter}` })));
  const headers = signRequest(source.auth.scheme, secret, raw, { id: `msg_${counter}`, timestamp: Math.floor(at / 1000) });
  return handleIntake(source, { headers: { 'content-type': 'application/json', ...headers }, rawBody: raw, receivedAt: new Date(at) }, { store, normaliser: passThroughNormaliser });
}

const clockAt = (at: number) => ({ now: () => at });
const audit = (store: Store) => store.transaction((r) => r.audit.forSubject('acme', 'source', 'src-rot'));

describe.each(backends)('secret rotation on %s', (_name, open) => {
  it('keeps the old secret live for the grace, names the secret each request used, then audits the end of the grace once', async () => {
    const store = await open();
    try {
      const old = generateStandardWebhookSecret();
      const before = sourceWith([{ value: old }]);
      await registerSource(store, before, clockAt(T0));
      expect((await send(store, before, old, T0)).status).toBe(202);
      expect((await sourceHealth(store, 'acme', 'src-rot', clockAt(T0))).secrets).toMatchObject({ lastUsed: 'current', rotatedAt: null, senderSwitched: null });

      const rotation = await rotateSourceSecret(store, before, { actor: 'alice', graceSeconds: 3600 }, clockAt(T0 + 1000));
      expect(rotation).toMatchObject({ generated: true, replaced: 1, revoked: false, previousValidUntil: T0 + 1000 + HOUR });
      expect(rotation.secret).toMatch(/^whsec_/);
      const after = { ...before, auth: { ...before.auth, secrets: rotation.secrets } };

      expect((await send(store, after, old, T0 + 2000)).status).toBe(202);
      let health = await sourceHealth(store, 'acme', 'src-rot', clockAt(T0 + 2000));
      expect(health.secrets).toMatchObject({ lastUsed: 'previous', lastUsedAt: new Date(T0 + 2000).toISOString(), senderSwitched: false, previousValidUntil: new Date(T0 + 1000 + HOUR).toISOString() });

      expect((await send(store, after, rotation.secret, T0 + 3000)).status).toBe(202);
      health = await sourceHealth(store, 'acme', 'src-rot', clockAt(T0 + 3000));
      expect(health.secrets).toMatchObject({ lastUsed: 'current', lastUsedAt: new Date(T0 + 3000).toISOString(), senderSwitched: true });

      const late = T0 + 1000 + HOUR + 1;
      expect(await send(store, after, old, late)).toMatchObject({ status: 401, code: 'unauthorized' });
      expect((await send(store, after, rotation.secret, late)).status).toBe(202);
      await sourceHealth(store, 'acme', 'src-rot', clockAt(late + 1));
      const entries = await audit(store);
      expect(entries.map((entry) => entry.action)).toEqual(['source.created', 'source.secret_rotated', 'source.secret_expired']);
      expect(entries[1]).toMatchObject({ actor: 'alice', details: { scheme: 'standard-webhooks', generated: true, replaced: 1, previousValidUntil: new Date(T0 + 1000 + HOUR).toISOString() } });
      expect((await sourceHealth(store, 'acme', 'src-rot', clockAt(late + 2))).secrets.previousValidUntil).toBeNull();
      const everything = JSON.stringify(await store.transaction((r) => Promise.all([r.audit.list('acme', 100), r.sources.list('acme')])));
      expect(everything).not.toContain(old);
      expect(everything).not.toContain(rotation.secret);
    } finally {
      await store.close();
    }
  });

  it('revokes the old secret at once for a compromised key, and audits both steps', async () => {
    const store = await open();
    try {
      const old = generateStandardWebhookSecret();
      const before = sourceWith([{ value: old }]);
      await registerSource(store, before, clockAt(T0));
      const rotation = await rotateSourceSecret(store, before, { actor: 'oncall', revoke: true, graceSeconds: 3600 }, clockAt(T0));
      expect(rotation).toMatchObject({ revoked: true, previousValidUntil: null });
      expect(rotation.secrets).toEqual([{ value: rotation.secret }]);
      const after = { ...before, auth: { ...before.auth, secrets: rotation.secrets } };
      expect((await send(store, after, old, T0 + 1)).status).toBe(401);
      expect((await send(store, after, rotation.secret, T0 + 1)).status).toBe(202);
      const entries = await audit(store);
      expect(entries.slice(1).map((entry) => [entry.action, entry.actor, entry.details])).toEqual([
        ['source.secret_rotated', 'oncall', { scheme: 'standard-webhooks', generated: true, replaced: 1, previousValidUntil: null }],
        ['source.secret_revoked', 'oncall', { revoked: 1, reason: 'revoked at rotation' }],
      ]);
    } finally {
      await store.close();
    }
  });

  it('refuses a malformed new secret: nothing changes, the old secret stays live and nothing is audited', async () => {
    const store = await open();
    try {
      const old = generateStandardWebhookSecret();
      const before = sourceWith([{ value: old }]);
      await registerSource(store, before, clockAt(T0));
      for (const newSecret of ['not-a-whsec-secret-at-all', `whsec_${randomBytes(8).toString('base64')}`, '', old]) {
        await expect(rotateSourceSecret(store, before, { actor: 'alice', newSecret, graceSeconds: 60 }, clockAt(T0))).rejects.toThrow(/refused|live secrets already|empty/);
      }
      await expect(rotateSourceSecret(store, before, { actor: 'alice', graceSeconds: -5 }, clockAt(T0))).rejects.toThrow(/grace period/);
      await expect(rotateSourceSecret(store, before, { actor: ' ', graceSeconds: 5 }, clockAt(T0))).rejects.toThrow(/actor/);
      expect((await send(store, before, old, T0 + 1)).status).toBe(202);
      expect((await audit(store)).map((entry) => entry.action)).toEqual(['source.created']);
      expect((await sourceHealth(store, 'acme', 'src-rot', clockAt(T0 + 2))).secrets.rotatedAt).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('revokes the previous secrets after a rotation with grace', async () => {
    const store = await open();
    try {
      const old = 'jira-old-secret-0123456789';
      const before = sourceWith([{ value: old }], 'hub-sha256');
      await registerSource(store, before, clockAt(T0));
      const rotation = await rotateSourceSecret(store, before, { actor: 'alice', newSecret: 'jira-new-secret-9876543210', graceSeconds: 86_400 }, clockAt(T0));
      const during = { ...before, auth: { ...before.auth, secrets: rotation.secrets } };
      expect((await send(store, during, old, T0 + 1)).status).toBe(202);
      const revoked = await revokePreviousSecrets(store, during, 'bob', clockAt(T0 + 2));
      expect(revoked).toEqual({ secrets: [{ value: 'jira-new-secret-9876543210' }], revoked: 1 });
      const after = { ...before, auth: { ...before.auth, secrets: revoked.secrets } };
      expect((await send(store, after, old, T0 + 3)).status).toBe(401);
      expect((await audit(store)).at(-1)).toMatchObject({ action: 'source.secret_revoked', actor: 'bob', details: { revoked: 1 } });
      expect((await sourceHealth(store, 'acme', 'src-rot', clockAt(T0 + 4))).secrets.previousValidUntil).toBeNull();
    } finally {
      await store.close();
    }
  });
});

describe('planRotation', () => {
  it.each(['standard-webhooks', 'stripe', 'pagerduty', 'hub-sha256', 'grafana', 'hmac-hex', 'hmac-base64', 'token', 'basic'] as const)('%s: generates a usable secret and keeps the old one for the grace', (scheme) => {
    const plan = planRotation(scheme, [{ value: 'old-secret-value-0123456789' }], { actor: 'a', graceSeconds: 60 }, T0);
    expect(plan.secrets).toEqual([{ value: plan.secret }, { value: 'old-secret-value-0123456789', expiresAt: T0 + 60_000 }]);
  });

  it('refuses scheme none and a grace over 30 days', () => {
    expect(() => planRotation('none', [], { actor: 'a' }, T0)).toThrow(/none/);
    expect(() => planRotation('token', [], { actor: 'a', graceSeconds: 31 * 86_400 }, T0)).toThrow(/30 days/);
    expect(() => planRotation('token', [], { actor: 'a', graceSeconds: 1.5 }, T0)).toThrow(/whole number/);
  });
});
