import { describe, expect, it } from 'vitest';
import { generateSecret, newSecretProblem, signRequest, verifyRequest, type SchemeName } from '../../core/signing';
import { NOW, OTHER_SECRETS, SECRETS, SECRET_SCHEMES, inputFor, signedCase } from './fixtures';

describe.each(SECRET_SCHEMES)('%s reports which secret matched', (scheme) => {
  const previous = { value: SECRETS[scheme], expiresAt: NOW.getTime() + 60_000 };
  const current = { value: OTHER_SECRETS[scheme] };

  it('names the current secret and the previous one by their place, never by value', () => {
    for (const [secret, label] of [[current.value, 'current'], [previous.value, 'previous']] as const) {
      const signed = signedCase(scheme, secret);
      const result = verifyRequest({ ...signed.config, secrets: [current, previous] }, inputFor(signed));
      expect(result).toMatchObject({ ok: true, secretLabel: label });
      expect(JSON.stringify(result)).not.toContain(secret);
    }
  });

  it('counts places among all configured secrets, so an expired one in between does not shift the names', () => {
    const expired = { value: 'expired-secret-value-123', expiresAt: NOW.getTime() - 1 };
    const signed = signedCase(scheme, previous.value);
    expect(verifyRequest({ ...signed.config, secrets: [current, expired, previous] }, inputFor(signed))).toMatchObject({ ok: true, secretLabel: 'previous-2' });
  });

  it("uses a secret's own label when it has one", () => {
    const signed = signedCase(scheme, previous.value);
    expect(verifyRequest({ ...signed.config, secrets: [current, { ...previous, label: 'key-2026-11' }] }, inputFor(signed))).toMatchObject({ ok: true, secretLabel: 'key-2026-11' });
  });
});

it('reports no secret for scheme none', () => {
  const result = verifyRequest({ scheme: 'none', secrets: [] }, { headers: {}, rawBody: Buffer.from('{}'), now: NOW });
  expect(result.ok && result.secretLabel).toBeUndefined();
});

describe('new secrets', () => {
  it.each(SECRET_SCHEMES)('%s: a generated secret is in the form the scheme needs, different each time, and signs and verifies', (scheme) => {
    const secret = generateSecret(scheme);
    expect(secret).not.toBe(generateSecret(scheme));
    expect(newSecretProblem(scheme, secret)).toBeUndefined();
    const body = Buffer.from('{"a":1}');
    const headers = signRequest(scheme, secret, body, { timestamp: Math.floor(Date.now() / 1000) });
    expect(verifyRequest({ scheme, secrets: [{ value: secret }] }, { headers, rawBody: body, now: new Date() }).ok).toBe(true);
  });

  it('generates whsec_ + base64 of 32 bytes for Standard Webhooks, user:password for Basic', () => {
    expect(generateSecret('standard-webhooks')).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(generateSecret('standard-webhooks').slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret('stripe')).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(generateSecret('basic')).toMatch(/^intake:[A-Za-z0-9_-]{32}$/);
    expect(generateSecret('hub-sha256')).toMatch(/^[0-9a-f]{64}$/);
    expect(() => generateSecret('none')).toThrow(/none/);
  });

  const refused: Array<[SchemeName, unknown, RegExp]> = [
    ['standard-webhooks', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', /whsec_ followed by base64/],
    ['standard-webhooks', 'whsec_not*base64!', /whsec_ followed by base64/],
    ['standard-webhooks', `whsec_${Buffer.alloc(8, 1).toString('base64')}`, /24 to 64 bytes \(this one is 8\)/],
    ['hub-sha256', 'short', /at least 16 characters/],
    ['token', 'a token with spaces in it', /spaces/],
    ['hmac-hex', 'tab\tinside-a-long-secret', /not printable/],
    ['basic', 'no-colon-here-at-all', /user:password/],
    ['basic', ':password-without-user', /user:password/],
    ['basic', 'intake:short', /at least 12 characters/],
    ['pagerduty', '', /empty/],
    ['pagerduty', 42, /empty/],
    ['pagerduty', 'x'.repeat(2000), /longer than 1024/],
    ['none', 'anything-at-all-here', /none has no secret/],
  ];
  it.each(refused)('%s refuses %j with a reason that does not quote it', (scheme, secret, reason) => {
    const problem = newSecretProblem(scheme, secret);
    expect(problem).toMatch(reason);
    if (typeof secret === 'string' && secret.length > 4) expect(problem).not.toContain(secret);
  });
});
