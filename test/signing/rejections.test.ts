import { describe, expect, it } from 'vitest';
import { verifyRequest, type AuthConfig, type SchemeName, type VerifyFailureCode } from '../../core/signing';
import {
  BODY,
  NOW,
  NOW_SECONDS,
  OTHER_SECRETS,
  SECRETS,
  SECRET_SCHEMES,
  SIGNED_SCHEMES,
  expectFailure,
  inputFor,
  signedCase,
  verify,
} from './fixtures';

const HEX_64 = 'ab'.repeat(32);
const BASE64_32 = Buffer.alloc(32, 7).toString('base64');

describe('wrong secret', () => {
  it.each(SECRET_SCHEMES)('%s rejects a request signed with another secret', (scheme) => {
    const signed = signedCase(scheme, OTHER_SECRETS[scheme]);
    expectFailure(verify(signedCase(scheme).config, inputFor(signed)), 'invalid_signature');
  });
});

describe('tampering', () => {
  it.each(SIGNED_SCHEMES)('%s rejects any single-byte change to the body', (scheme) => {
    const signed = signedCase(scheme);
    for (let index = 0; index < BODY.length; index++) {
      const tampered = Buffer.from(BODY);
      tampered[index] ^= 0x01;
      expectFailure(verify(signed.config, inputFor(signed, { rawBody: tampered })), 'invalid_signature');
    }
    expectFailure(verify(signed.config, inputFor(signed, { rawBody: Buffer.concat([BODY, Buffer.from(' ')]) })), 'invalid_signature');
    expectFailure(verify(signed.config, inputFor(signed, { rawBody: BODY.subarray(1) })), 'invalid_signature');
  });

  it.each(SIGNED_SCHEMES)('%s rejects any single-character change to the signature', (scheme) => {
    const signed = signedCase(scheme);
    const header = signed.signatureHeaders[0];
    const value = signed.headers[header];
    for (let index = 0; index < value.length; index++) {
      const replacement = value[index] === 'a' ? 'b' : 'a';
      const headers = { ...signed.headers, [header]: value.slice(0, index) + replacement + value.slice(index + 1) };
      expect(verify(signed.config, inputFor(signed, { headers })).ok).toBe(false);
    }
  });

  it('standard-webhooks rejects any single-byte change to the message id', () => {
    const signed = signedCase('standard-webhooks');
    const id = signed.headers['webhook-id'];
    for (let index = 0; index < id.length; index++) {
      const changed = id.slice(0, index) + String.fromCharCode(id.charCodeAt(index) ^ 0x01) + id.slice(index + 1);
      expectFailure(verify(signed.config, inputFor(signed, { headers: { ...signed.headers, 'webhook-id': changed } })), 'invalid_signature');
    }
  });

  it.each([
    ['standard-webhooks', 'webhook-timestamp'],
    ['grafana', 'x-grafana-alerting-timestamp'],
  ] as const)('%s rejects a changed timestamp', (scheme, header) => {
    const signed = signedCase(scheme);
    for (const timestamp of [NOW_SECONDS - 1, NOW_SECONDS + 1, NOW_SECONDS + 10]) {
      const headers = { ...signed.headers, [header]: String(timestamp) };
      expectFailure(verify(signed.config, inputFor(signed, { headers })), 'invalid_signature');
    }
  });

  it('stripe rejects a changed t=', () => {
    const signed = signedCase('stripe');
    const header = signed.headers['stripe-signature'].replace(`t=${NOW_SECONDS}`, `t=${NOW_SECONDS + 1}`);
    expectFailure(verify(signed.config, inputFor(signed, { headers: { 'stripe-signature': header } })), 'invalid_signature');
  });
});

describe('duplicated headers', () => {
  it.each(SECRET_SCHEMES)('%s rejects a signature header sent twice', (scheme) => {
    const signed = signedCase(scheme);
    const header = signed.signatureHeaders[0];
    const headers = { ...signed.headers, [header]: [signed.headers[header], signed.headers[header]] };
    expectFailure(verify(signed.config, inputFor(signed, { headers })), 'duplicate_header');
  });

  it('detects duplicates spread over differently cased keys', () => {
    const signed = signedCase('hub-sha256');
    const headers = { ...signed.headers, 'X-Hub-Signature-256': signed.headers['x-hub-signature-256'] };
    expectFailure(verify(signed.config, inputFor(signed, { headers })), 'duplicate_header');
  });

  it.each([
    ['standard-webhooks', 'webhook-timestamp'],
    ['standard-webhooks', 'webhook-id'],
    ['grafana', 'x-grafana-alerting-timestamp'],
  ] as const)('%s rejects %s sent twice', (scheme, header) => {
    const signed = signedCase(scheme);
    const headers = { ...signed.headers, [header]: [signed.headers[header], signed.headers[header]] };
    expectFailure(verify(signed.config, inputFor(signed, { headers })), 'duplicate_header');
  });

  it.each(['x-webhook-id', 'x-atlassian-webhook-identifier', 'x-github-delivery'])('rejects the message id header %s sent twice', (header) => {
    const signed = signedCase('pagerduty');
    const headers = { ...signed.headers, [header]: ['a', 'b'] };
    expectFailure(verify(signed.config, inputFor(signed, { headers })), 'duplicate_header');
  });

  it('rejects a token query parameter given twice', () => {
    const config: AuthConfig = { scheme: 'token', secrets: [{ value: SECRETS.token }], queryParam: 'token' };
    const result = verify(config, { headers: {}, rawBody: BODY, now: NOW, query: { token: [SECRETS.token, SECRETS.token] } });
    expectFailure(result, 'duplicate_header');
  });
});

const GARBLED: Array<[SchemeName, Record<string, string>, VerifyFailureCode]> = [
  ['standard-webhooks', { 'webhook-signature': 'v1' }, 'malformed_signature'],
  ['standard-webhooks', { 'webhook-signature': 'v1,not base64!!' }, 'malformed_signature'],
  ['standard-webhooks', { 'webhook-signature': `v1,${Buffer.alloc(16).toString('base64')}` }, 'malformed_signature'],
  ['standard-webhooks', { 'webhook-signature': 'v1a,bm9wZQ==' }, 'malformed_signature'],
  ['standard-webhooks', { 'webhook-timestamp': 'yesterday' }, 'malformed_signature'],
  ['standard-webhooks', { 'webhook-timestamp': '-5' }, 'malformed_signature'],
  ['standard-webhooks', { 'webhook-timestamp': '01614265330' }, 'malformed_signature'],
  ['standard-webhooks', { 'webhook-timestamp': '' }, 'missing_timestamp'],
  ['standard-webhooks', { 'webhook-id': '' }, 'missing_signature'],
  ['standard-webhooks', { 'webhook-signature': '' }, 'missing_signature'],
  ['stripe', { 'stripe-signature': 'garbage' }, 'malformed_signature'],
  ['stripe', { 'stripe-signature': `v1=${HEX_64}` }, 'missing_timestamp'],
  ['stripe', { 'stripe-signature': `t=${NOW_SECONDS}` }, 'malformed_signature'],
  ['stripe', { 'stripe-signature': `t=${NOW_SECONDS},v0=${HEX_64}` }, 'malformed_signature'],
  ['stripe', { 'stripe-signature': `t=soon,v1=${HEX_64}` }, 'malformed_signature'],
  ['stripe', { 'stripe-signature': `t=${NOW_SECONDS},t=${NOW_SECONDS},v1=${HEX_64}` }, 'malformed_signature'],
  ['stripe', { 'stripe-signature': `t=${NOW_SECONDS},v1=xyz` }, 'malformed_signature'],
  ['pagerduty', { 'x-pagerduty-signature': HEX_64 }, 'malformed_signature'],
  ['pagerduty', { 'x-pagerduty-signature': 'v1=not-hex' }, 'malformed_signature'],
  ['pagerduty', { 'x-pagerduty-signature': `v0=${HEX_64}` }, 'malformed_signature'],
  ['hub-sha256', { 'x-hub-signature-256': HEX_64 }, 'malformed_signature'],
  ['hub-sha256', { 'x-hub-signature-256': 'sha256=zz' }, 'malformed_signature'],
  ['hub-sha256', { 'x-hub-signature-256': `sha256=${'ab'.repeat(20)}` }, 'malformed_signature'],
  ['grafana', { 'x-grafana-alerting-signature': 'not-hex' }, 'malformed_signature'],
  ['grafana', { 'x-grafana-alerting-signature': 'ab'.repeat(16) }, 'malformed_signature'],
  ['grafana', { 'x-grafana-alerting-timestamp': '' }, 'missing_timestamp'],
  ['grafana', { 'x-grafana-alerting-timestamp': '12:00' }, 'malformed_signature'],
  ['hmac-hex', { 'x-signature': 'sha256=' }, 'malformed_signature'],
  ['hmac-hex', { 'x-signature': `sha1=${HEX_64}` }, 'malformed_signature'],
  ['hmac-base64', { 'x-signature': '!!!' }, 'malformed_signature'],
  ['hmac-base64', { 'x-signature': 'YWJj' }, 'malformed_signature'],
  ['hmac-base64', { 'x-signature': HEX_64 }, 'malformed_signature'],
  ['token', { authorization: `Basic ${SECRETS.token}` }, 'malformed_signature'],
  ['token', { authorization: 'Bearer' }, 'malformed_signature'],
  ['token', { authorization: '' }, 'missing_signature'],
  ['basic', { authorization: 'Basic !!!' }, 'malformed_signature'],
  ['basic', { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }, 'malformed_signature'],
  ['basic', { authorization: `Bearer ${BASE64_32}` }, 'malformed_signature'],
];

describe('garbled and missing headers', () => {
  it.each(GARBLED)('%s with %j fails with %s', (scheme, overrides, code) => {
    const signed = signedCase(scheme);
    const headers = { ...signed.headers, ...overrides };
    expectFailure(verify(signed.config, inputFor(signed, { headers })), code);
  });

  it.each(SECRET_SCHEMES)('%s without any headers fails with missing_signature', (scheme) => {
    const signed = signedCase(scheme);
    expectFailure(verify(signed.config, inputFor(signed, { headers: {} })), 'missing_signature');
  });

  it('hub-sha256 ignores a legacy sha1 X-Hub-Signature next to a valid X-Hub-Signature-256', () => {
    const signed = signedCase('hub-sha256');
    const headers = { ...signed.headers, 'x-hub-signature': `sha1=${'ab'.repeat(20)}` };
    expect(verify(signed.config, inputFor(signed, { headers })).ok).toBe(true);
  });

  it('hub-sha256 only reads the configured header when one is set', () => {
    const signed = signedCase('hub-sha256');
    const config = { ...signed.config, header: 'X-Hub-Signature' };
    expectFailure(verify(config, inputFor(signed)), 'missing_signature');
  });

  it('standard-webhooks fails with no_live_secret when no live secret decodes as a key', () => {
    const signed = signedCase('standard-webhooks');
    expectFailure(verify({ ...signed.config, secrets: [{ value: 'whsec_!!not-base64' }] }, inputFor(signed)), 'no_live_secret');
  });
});

describe('configuration errors', () => {
  it.each(['sha1', 'toString', '__proto__', undefined, 42])('unknown scheme %s is unsupported_scheme', (scheme) => {
    const config = { scheme, secrets: [{ value: 'x' }] } as unknown as AuthConfig;
    expectFailure(verifyRequest(config, { headers: {}, rawBody: BODY, now: NOW }), 'unsupported_scheme');
  });
});

describe('hostile input', () => {
  // A tiny deterministic generator, so that a failure reproduces.
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
  }
  const alphabet = 'v1v0t=,. :;=abcdef0123456789+/=ABCZ_-é\u0000\n';

  it.each(SECRET_SCHEMES)('%s never throws and never accepts random header values', (scheme) => {
    const next = random(scheme.length * 7919);
    const signed = signedCase(scheme);
    for (let round = 0; round < 300; round++) {
      const headers: Record<string, string> = {};
      for (const name of Object.keys(signed.headers)) {
        const length = Math.floor(next() * 90);
        headers[name] = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      }
      if ('webhook-timestamp' in headers) headers['webhook-timestamp'] = String(NOW_SECONDS);
      const result = verify(signed.config, inputFor(signed, { headers }));
      expect(result.ok).toBe(false);
    }
  });
});
