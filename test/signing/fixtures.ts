import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { verifyRequest, type AuthConfig, type SchemeName, type VerifyFailureCode, type VerifyInput, type VerifyResult } from '../../core/signing';

/**
 * Valid requests for every scheme, signed here with node:crypto alone (never with the code under test),
 * so that a test comparing the two catches a wrong content layout, encoding or key derivation.
 */

export const NOW = new Date('2025-01-15T10:00:00.000Z');
export const NOW_SECONDS = NOW.getTime() / 1000;
export const BODY = Buffer.from('{"incident":"db-01 down","severity":"critical","n":1}');
export const MESSAGE_ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';

export const SECRETS: Record<SchemeName, string> = {
  'standard-webhooks': 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  stripe: 'whsec_stripe_test_secret_1234567890',
  pagerduty: 'pd-secret-Ug8Lk2x9',
  'hub-sha256': "It's a Secret to Everybody",
  grafana: 'grafana-hmac-secret-77',
  onemanage: 'onemanage-app-secret-31',
  'hmac-hex': 'hex-shared-secret-42',
  'hmac-base64': 'servicenow-base64-key-99',
  token: 'tok_8f2c4e6a0b1d3f5e',
  basic: 'intake:correct horse battery staple',
  none: '',
};

export const OTHER_SECRETS: Record<SchemeName, string> = {
  'standard-webhooks': 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
  stripe: 'whsec_other_secret_0987654321',
  pagerduty: 'pd-secret-other',
  'hub-sha256': 'another secret',
  grafana: 'grafana-other',
  onemanage: 'onemanage-other',
  'hmac-hex': 'hex-other',
  'hmac-base64': 'base64-other',
  token: 'tok_other_token_value',
  basic: 'intake:wrong password',
  none: '',
};

export const SIGNED_SCHEMES = ['standard-webhooks', 'stripe', 'pagerduty', 'hub-sha256', 'grafana', 'onemanage', 'hmac-hex', 'hmac-base64'] as const;
export const SECRET_SCHEMES = [...SIGNED_SCHEMES, 'token', 'basic'] as const;

export interface SignedCase {
  config: AuthConfig;
  headers: Record<string, string>;
  /** The header(s) carrying the signature or credentials. */
  signatureHeaders: string[];
}

export function hmac(key: Buffer | string, content: string | Buffer, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', key).update(content).digest(encoding);
}

export function standardWebhookKey(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/** A request that `verifyRequest` must accept at {@link NOW}, signed with `secret` over `body`. */
export function signedCase(scheme: SchemeName, secret = SECRETS[scheme], body = BODY, timestamp = NOW_SECONDS): SignedCase {
  const config: AuthConfig = { scheme, secrets: [{ value: SECRETS[scheme] }] };
  const text = body.toString('utf8');
  switch (scheme) {
    case 'standard-webhooks': {
      const signature = hmac(standardWebhookKey(secret), `${MESSAGE_ID}.${timestamp}.${text}`, 'base64');
      const headers = { 'webhook-id': MESSAGE_ID, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
      return { config, headers, signatureHeaders: ['webhook-signature'] };
    }
    case 'stripe': {
      const signature = hmac(secret, `${timestamp}.${text}`, 'hex');
      return { config, headers: { 'stripe-signature': `t=${timestamp},v1=${signature}` }, signatureHeaders: ['stripe-signature'] };
    }
    case 'pagerduty':
      return { config, headers: { 'x-pagerduty-signature': `v1=${hmac(secret, body, 'hex')}` }, signatureHeaders: ['x-pagerduty-signature'] };
    case 'hub-sha256':
      return { config, headers: { 'x-hub-signature-256': `sha256=${hmac(secret, body, 'hex')}` }, signatureHeaders: ['x-hub-signature-256'] };
    case 'grafana': {
      const timestamped = { ...config, timestampHeader: 'X-Grafana-Alerting-Timestamp' };
      const signature = hmac(secret, `${timestamp}:${text}`, 'hex');
      const headers = { 'x-grafana-alerting-signature': signature, 'x-grafana-alerting-timestamp': String(timestamp) };
      return { config: timestamped, headers, signatureHeaders: ['x-grafana-alerting-signature'] };
    }
    case 'onemanage':
      return { config, headers: { 'x-onemanage-signature': hmac(secret, body, 'hex') }, signatureHeaders: ['x-onemanage-signature'] };
    case 'hmac-hex':
      return { config, headers: { 'x-signature': hmac(secret, body, 'hex') }, signatureHeaders: ['x-signature'] };
    case 'hmac-base64':
      return { config, headers: { 'x-signature': hmac(secret, body, 'base64') }, signatureHeaders: ['x-signature'] };
    case 'token':
      return { config, headers: { authorization: `Bearer ${secret}` }, signatureHeaders: ['authorization'] };
    case 'basic':
      return { config, headers: { authorization: `Basic ${Buffer.from(secret).toString('base64')}` }, signatureHeaders: ['authorization'] };
    case 'none':
      return { config, headers: {}, signatureHeaders: [] };
  }
}

export function inputFor(testCase: SignedCase, overrides: Partial<VerifyInput> = {}): VerifyInput {
  return { headers: testCase.headers, rawBody: BODY, now: NOW, ...overrides };
}

const LONG_HEX = /[0-9a-f]{16,}/i;
const LONG_BASE64 = /[A-Za-z0-9+/]{20,}/;

/** Verifies and, on failure, checks that the message gives away no secret and no signature. */
export function verify(config: AuthConfig, input: VerifyInput): VerifyResult {
  const result = verifyRequest(config, input);
  if (!result.ok) expectNoLeak(result.message, config, input);
  return result;
}

export function expectNoLeak(message: string, config: AuthConfig, input: VerifyInput): void {
  for (const secret of config.secrets) if (secret.value.length > 0) expect(message).not.toContain(secret.value);
  for (const value of Object.values(input.headers).flat()) {
    if (value !== undefined && value.length >= 8) expect(message).not.toContain(value);
  }
  expect(message).not.toMatch(LONG_HEX);
  expect(message).not.toMatch(LONG_BASE64);
}

export function expectFailure(result: VerifyResult, code: VerifyFailureCode): void {
  expect(result.ok ? 'ok' : result.code).toBe(code);
}
