import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { destinationSchema, webhookDestinationSchema, DestinationVault, DestinationVaultError, type SealedDestination } from '../../core/delivery';
import { INCIDENT_TARGET } from './support/destinations';

const newKey = () => randomBytes(32).toString('base64');
const webhook = webhookDestinationSchema.parse({
  kind: 'webhook',
  id: 'ops',
  tenant: 't1',
  url: 'https://receiver.example.com/in?token=query-secret-1234',
  headers: { Authorization: 'Bearer header-secret-5678' },
  signing: { secret: `whsec_${randomBytes(32).toString('base64')}` },
});
const incidentIo = destinationSchema.parse(INCIDENT_TARGET);

/** Flips one bit in one base64url part of a box (1 = iv, 2 = ciphertext, 3 = tag). */
function flipBit(sealed: SealedDestination, part: number): SealedDestination {
  const parts = sealed.box.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[bytes.length - 1]! ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return { ...sealed, box: parts.join('.') };
}

describe('the destination vault', () => {
  it('seals whole configs, secrets included, and unseals them as they were', () => {
    const vault = new DestinationVault([newKey()]);
    for (const config of [webhook, incidentIo]) {
      const sealed = vault.seal(config);
      expect(sealed.keyId).toBe(vault.sealingKeyId);
      expect(sealed.box).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(vault.unseal(config.tenant, config.id, sealed)).toEqual(config);
    }
  });

  it('never shows a secret in the box, and seals the same config differently each time', () => {
    const vault = new DestinationVault([newKey()]);
    const first = vault.seal(webhook);
    const second = vault.seal(webhook);
    expect(first.box).not.toBe(second.box);
    const box = `${first.box} ${Buffer.from(first.box.split('.')[2]!, 'base64url').toString('latin1')}`;
    for (const secret of ['query-secret-1234', 'header-secret-5678', 'receiver.example.com', (webhook.signing as { secret: string }).secret]) expect(box).not.toContain(secret);
  });

  it('names the sealing key when the keys given do not include it', () => {
    const sealed = new DestinationVault([newKey()]).seal(webhook);
    const other = new DestinationVault([newKey()]);
    expect(() => other.unseal('t1', 'ops', sealed)).toThrow(DestinationVaultError);
    expect(() => other.unseal('t1', 'ops', sealed)).toThrow(`sealed with key ${sealed.keyId}, which is not among the outbox encryption keys given (${other.sealingKeyId})`);
  });

  it('fails a box sealed under a key that claims another key id', () => {
    const key = newKey();
    const sealed = new DestinationVault([newKey()]).seal(webhook);
    const vault = new DestinationVault([key]);
    expect(() => vault.unseal('t1', 'ops', { ...sealed, keyId: vault.sealingKeyId })).toThrow(/failed its integrity check/);
  });

  it('detects any altered bit of iv, ciphertext or tag', () => {
    const vault = new DestinationVault([newKey()]);
    const sealed = vault.seal(webhook);
    for (const part of [1, 2, 3]) expect(() => vault.unseal('t1', 'ops', flipBit(sealed, part))).toThrow(/failed its integrity check/);
    expect(() => vault.unseal('t1', 'ops', { ...sealed, box: sealed.box.replace(/^v1/, 'v9') })).toThrow(/not in a format/);
    expect(() => vault.unseal('t1', 'ops', { ...sealed, box: `${sealed.box}.x` })).toThrow(/not in a format/);
  });

  it('does not open a box moved onto another destination or tenant', () => {
    const vault = new DestinationVault([newKey()]);
    const sealed = vault.seal(webhook);
    expect(() => vault.unseal('t1', 'other', sealed)).toThrow(/failed its integrity check/);
    expect(() => vault.unseal('t2', 'ops', sealed)).toThrow(/failed its integrity check/);
  });

  it('rotates: the first key seals, every key unseals', () => {
    const [oldKey, newerKey] = [newKey(), newKey()];
    const sealedBefore = new DestinationVault([oldKey]).seal(webhook);
    const rotated = new DestinationVault([newerKey, oldKey]);
    expect(rotated.unseal('t1', 'ops', sealedBefore)).toEqual(webhook);
    const sealedAfter = rotated.seal(webhook);
    expect(sealedAfter.keyId).not.toBe(sealedBefore.keyId);
    expect(new DestinationVault([newerKey]).unseal('t1', 'ops', sealedAfter)).toEqual(webhook);
  });

  it('takes only 32-byte base64 keys and says how to make one, without quoting the key', () => {
    expect(() => new DestinationVault([])).toThrow(/openssl rand -base64 32/);
    expect(() => new DestinationVault(['', '  '])).toThrow(/an outbox encryption key is needed/);
    expect(() => new DestinationVault(['correct horse battery staple'])).toThrow(/key 1 is not a valid key.*openssl rand -base64 32/);
    expect(() => new DestinationVault([randomBytes(16).toString('base64')])).toThrow(/not a valid key/);
    expect(() => new DestinationVault([newKey(), `${newKey()}!`])).toThrow(/key 2 is not a valid key/);
    try {
      new DestinationVault(['my-passphrase-is-secret']);
    } catch (error) {
      expect((error as Error).message).not.toContain('my-passphrase-is-secret');
    }
    expect(new DestinationVault([` ${newKey()}\n`]).keyIds).toHaveLength(1);
  });

  it('gives a key the same id wherever it is used, and different keys different ids', () => {
    const key = newKey();
    expect(new DestinationVault([key]).sealingKeyId).toBe(new DestinationVault([key]).sealingKeyId);
    expect(new DestinationVault([key]).sealingKeyId).toMatch(/^[0-9a-f]{16}$/);
    expect(new DestinationVault([newKey()]).sealingKeyId).not.toBe(new DestinationVault([key]).sealingKeyId);
  });
});
