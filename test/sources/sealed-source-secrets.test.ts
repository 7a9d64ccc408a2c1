import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSourceConfig } from '../../core/intake/source-config';
import { generateStandardWebhookSecret } from '../../core/signing';
import { endSealedPrevious, readSealedSecrets, reconcileSealedSecrets } from '../../core/sources/sealed-source-secrets';
import { registerSource } from '../../core/sources/source-admin';
import { SourceSecretVault } from '../../core/sources/source-secret-vault';
import { openSqliteStore } from '../../core/store';

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const at = (now: number) => ({ now: () => now });
const key = () => randomBytes(32).toString('base64');
const source = (secret: string, id = 'pd') => parseSourceConfig({ tenant: 'acme', id, provider: 'pagerduty', auth: { scheme: 'standard-webhooks', secrets: [{ value: secret }] } });

describe('SourceSecretVault', () => {
  it('opens only what it sealed, for the same source, and never quotes a secret in its errors', () => {
    const secret = generateStandardWebhookSecret();
    const vault = new SourceSecretVault([key()]);
    const sealed = vault.seal('acme', 'pd', [{ value: secret }, { value: 'old-secret-0123456789', expiresAt: T0 }]);
    expect(sealed.box).not.toContain(secret);
    expect(vault.unseal('acme', 'pd', sealed)).toEqual([{ value: secret }, { value: 'old-secret-0123456789', expiresAt: T0 }]);
    expect(() => vault.unseal('acme', 'other', sealed)).toThrow(/integrity check/);
    expect(() => new SourceSecretVault([key()]).unseal('acme', 'pd', sealed)).toThrow(/not among the encryption keys/);
    const [format, iv, ciphertext, tag] = sealed.box.split('.');
    const flipped = `${ciphertext!.slice(0, -2)}${ciphertext!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(() => vault.unseal('acme', 'pd', { ...sealed, box: [format, iv, flipped, tag].join('.') })).toThrow(/integrity check/);
    expect(() => new SourceSecretVault(['not-a-key'])).toThrow(/not a valid key/);
    expect(() => new SourceSecretVault([])).toThrow(/encryption key is needed/);
  });

  it('a second key still opens what the first sealed (key rotation)', () => {
    const [first, second] = [key(), key()];
    const sealed = new SourceSecretVault([first]).seal('acme', 'pd', [{ value: 'x'.repeat(20) }]);
    expect(new SourceSecretVault([second, first]).unseal('acme', 'pd', sealed)).toEqual([{ value: 'x'.repeat(20) }]);
  });
});

describe('reconcileSealedSecrets', () => {
  it('seals the first secret, rotates when the credential changes, drops an ended grace and follows a revocation', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      const vault = new SourceSecretVault([key()]);
      const [a, b] = [generateStandardWebhookSecret(), generateStandardWebhookSecret()];
      await registerSource(store, source(a));
      expect(await reconcileSealedSecrets(store, vault, source(a), { actor: 'n8n', graceSeconds: 60 }, at(T0))).toEqual({ secrets: [{ value: a }] });
      const rotated = await reconcileSealedSecrets(store, vault, source(b), { actor: 'n8n', graceSeconds: 60 }, at(T0 + 1));
      expect(rotated.secrets).toEqual([{ value: b }, { value: a, expiresAt: T0 + 60_001 }]);
      expect(await readSealedSecrets(store, vault, source(b), at(T0 + 2))).toEqual(rotated.secrets);
      expect(await readSealedSecrets(store, vault, source(a), at(T0 + 2))).toBeUndefined();
      expect((await reconcileSealedSecrets(store, vault, source(b), { actor: 'n8n', graceSeconds: 60 }, at(T0 + 60_001))).secrets).toEqual([{ value: b }]);
      await reconcileSealedSecrets(store, vault, source(a), { actor: 'n8n', graceSeconds: 60 }, at(T0 + 70_000));
      const ended = await endSealedPrevious(store, vault, source(a), { actor: 'oncall', graceSeconds: 0, revoke: true }, at(T0 + 70_001));
      expect(ended).toMatchObject({ secrets: [{ value: a }], changed: 1, previousValidUntil: null });
      expect(await readSealedSecrets(store, vault, source(a), at(T0 + 70_002))).toEqual([{ value: a }]);
      const rows = JSON.stringify(await store.transaction((r) => Promise.all([r.audit.list('acme', 100), r.sources.list('acme')])));
      for (const value of [a, b]) expect(rows).not.toContain(value);
    } finally {
      await store.close();
    }
  });

  it('forgets the replaced secrets when the key changed, and says so; refuses a source that was never registered', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      const [a, b] = [generateStandardWebhookSecret(), generateStandardWebhookSecret()];
      await registerSource(store, source(a));
      await reconcileSealedSecrets(store, new SourceSecretVault([key()]), source(a), { actor: 'n8n', graceSeconds: 60 }, at(T0));
      const result = await reconcileSealedSecrets(store, new SourceSecretVault([key()]), source(b), { actor: 'n8n', graceSeconds: 60 }, at(T0 + 1));
      expect(result).toMatchObject({ secrets: [{ value: b }], problem: expect.stringMatching(/forgotten/) });
      await expect(reconcileSealedSecrets(store, new SourceSecretVault([key()]), source(a, 'unknown'), { actor: 'n8n', graceSeconds: 60 })).rejects.toThrow(/not found/);
    } finally {
      await store.close();
    }
  });
});
