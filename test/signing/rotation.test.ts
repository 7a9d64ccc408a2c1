import { describe, expect, it } from 'vitest';
import { liveSecrets, rotateSecrets, type SecretEntry } from '../../core/signing';
import { NOW, OTHER_SECRETS, SECRETS, SECRET_SCHEMES, expectFailure, inputFor, signedCase, verify } from './fixtures';

const MINUTE = 60_000;

describe('liveSecrets', () => {
  it('keeps secrets without expiry and those expiring after now; expiresAt == now is expired', () => {
    const secrets: SecretEntry[] = [
      { value: 'forever' },
      { value: 'later', expiresAt: NOW.getTime() + 1 },
      { value: 'exactly-now', expiresAt: NOW.getTime() },
      { value: 'past', expiresAt: NOW.getTime() - MINUTE },
    ];
    expect(liveSecrets(secrets, NOW).map((secret) => secret.value)).toEqual(['forever', 'later']);
  });
});

describe('rotateSecrets', () => {
  it('puts the new secret first and lets old ones expire after the grace period', () => {
    const rotated = rotateSecrets([{ value: 'old' }], 'new', { graceSeconds: 3600, now: NOW });
    expect(rotated).toEqual([{ value: 'new' }, { value: 'old', expiresAt: NOW.getTime() + 3600_000 }]);
  });

  it('drops the old secrets at once when the grace is 0', () => {
    expect(rotateSecrets([{ value: 'old' }, { value: 'older', expiresAt: NOW.getTime() + MINUTE }], 'new', { graceSeconds: 0, now: NOW })).toEqual([
      { value: 'new' },
    ]);
  });

  it('prunes already expired secrets and never extends an earlier expiry', () => {
    const current: SecretEntry[] = [
      { value: 'expired', expiresAt: NOW.getTime() - 1 },
      { value: 'soon', expiresAt: NOW.getTime() + MINUTE },
      { value: 'forever' },
    ];
    expect(rotateSecrets(current, 'new', { graceSeconds: 600, now: NOW })).toEqual([
      { value: 'new' },
      { value: 'soon', expiresAt: NOW.getTime() + MINUTE },
      { value: 'forever', expiresAt: NOW.getTime() + 600_000 },
    ]);
  });

  it('does not keep a second copy of a secret that is rotated in again', () => {
    expect(rotateSecrets([{ value: 'same' }], 'same', { graceSeconds: 60, now: NOW })).toEqual([{ value: 'same' }]);
  });

  it('refuses a negative or non-numeric grace', () => {
    expect(() => rotateSecrets([], 'new', { graceSeconds: -1, now: NOW })).toThrow(RangeError);
    expect(() => rotateSecrets([], 'new', { graceSeconds: Number.NaN, now: NOW })).toThrow(RangeError);
  });
});

describe.each(SECRET_SCHEMES)('%s during a rotation', (scheme) => {
  const oldSecret = SECRETS[scheme];
  const newSecret = OTHER_SECRETS[scheme];
  const rotated = rotateSecrets([{ value: oldSecret }], newSecret, { graceSeconds: 300, now: NOW });

  it('accepts requests signed with either live secret', () => {
    for (const secret of [oldSecret, newSecret]) {
      const signed = signedCase(scheme, secret);
      expect(verify({ ...signed.config, secrets: rotated }, inputFor(signed)).ok).toBe(true);
    }
  });

  it('rejects the old secret once the grace period is over, and still accepts the new one', () => {
    const later = new Date(NOW.getTime() + 300_000);
    const oldSigned = signedCase(scheme, oldSecret);
    const newSigned = signedCase(scheme, newSecret, undefined, later.getTime() / 1000);
    expectFailure(verify({ ...oldSigned.config, secrets: rotated, toleranceSeconds: 10_000 }, inputFor(oldSigned, { now: later })), 'invalid_signature');
    expect(verify({ ...newSigned.config, secrets: rotated }, inputFor(newSigned, { now: later })).ok).toBe(true);
  });

  it('rejects the old secret at once when rotated with grace 0', () => {
    const signed = signedCase(scheme, oldSecret);
    const secrets = rotateSecrets([{ value: oldSecret }], newSecret, { graceSeconds: 0, now: NOW });
    expectFailure(verify({ ...signed.config, secrets }, inputFor(signed)), 'invalid_signature');
  });

  it('fails with no_live_secret when every secret has expired', () => {
    const signed = signedCase(scheme);
    const secrets = [{ value: oldSecret, expiresAt: NOW.getTime() }];
    expectFailure(verify({ ...signed.config, secrets }, inputFor(signed)), 'no_live_secret');
    expectFailure(verify({ ...signed.config, secrets: [] }, inputFor(signed)), 'no_live_secret');
  });
});
