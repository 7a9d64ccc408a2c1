import { describe, expect, it } from 'vitest';
import { signRequest, verifyRequest } from '../../core/signing';
import { BODY, MESSAGE_ID, NOW, NOW_SECONDS, SECRETS, SECRET_SCHEMES, inputFor, signedCase } from './fixtures';

const HUB_SECRET = "It's a Secret to Everybody";

describe('published test vectors', () => {
  it('Jira Cloud: X-Hub-Signature without -256', () => {
    const headers = { 'X-Hub-Signature': 'sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9' };
    const config = { scheme: 'hub-sha256' as const, secrets: [{ value: HUB_SECRET }] };
    expect(verifyRequest(config, { headers, rawBody: Buffer.from('Hello World!'), now: NOW }).ok).toBe(true);
    expect(signRequest('hub-sha256', HUB_SECRET, Buffer.from('Hello World!'), { header: 'X-Hub-Signature' })).toEqual(headers);
  });

  it('GitHub: X-Hub-Signature-256', () => {
    const headers = { 'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' };
    const config = { scheme: 'hub-sha256' as const, secrets: [{ value: HUB_SECRET }] };
    expect(verifyRequest(config, { headers, rawBody: Buffer.from('Hello, World!'), now: NOW }).ok).toBe(true);
    expect(signRequest('hub-sha256', HUB_SECRET, Buffer.from('Hello, World!'))).toEqual(headers);
  });

  // The vector every Standard Webhooks / Svix reference library tests against.
  const standard = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: Buffer.from('{"test": 2432232314}'),
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  };

  it('Standard Webhooks: signs the specification vector exactly', () => {
    expect(signRequest('standard-webhooks', standard.secret, standard.body, { id: standard.id, timestamp: standard.timestamp })).toEqual({
      'webhook-id': standard.id,
      'webhook-timestamp': String(standard.timestamp),
      'webhook-signature': standard.signature,
    });
  });

  it('Standard Webhooks: verifies the specification vector, with and without the whsec_ prefix', () => {
    const headers = { 'webhook-id': standard.id, 'webhook-timestamp': String(standard.timestamp), 'webhook-signature': standard.signature };
    const input = { headers, rawBody: standard.body, now: new Date(standard.timestamp * 1000) };
    for (const secret of [standard.secret, standard.secret.slice('whsec_'.length)]) {
      expect(verifyRequest({ scheme: 'standard-webhooks', secrets: [{ value: secret }] }, input)).toEqual({
        ok: true,
        secretLabel: 'current',
        messageId: standard.id,
        replayKey: `id:${standard.id}`,
        timestamp: standard.timestamp,
      });
    }
  });

  it('Standard Webhooks: accepts svix-* headers, skips unknown versions and lets any v1 entry match', () => {
    const headers = {
      'svix-id': standard.id,
      'svix-timestamp': String(standard.timestamp),
      'svix-signature': `v1a,bm9wZQ== v1,${Buffer.alloc(32).toString('base64')} ${standard.signature}`,
    };
    const result = verifyRequest(
      { scheme: 'standard-webhooks', secrets: [{ value: standard.secret }] },
      { headers, rawBody: standard.body, now: new Date(standard.timestamp * 1000) },
    );
    expect(result).toMatchObject({ ok: true, messageId: standard.id });
  });
});

describe('independently computed vectors', () => {
  it.each(SECRET_SCHEMES)('%s: signRequest produces what node:crypto computes, and it verifies', (scheme) => {
    const expected = signedCase(scheme);
    const signed = signRequest(scheme, SECRETS[scheme], BODY, {
      id: MESSAGE_ID,
      timestamp: NOW_SECONDS,
      timestampHeader: expected.config.timestampHeader,
    });
    expect(lowercaseKeys(signed)).toEqual(expected.headers);
    expect(verifyRequest(expected.config, inputFor(expected)).ok).toBe(true);
  });

  it('hmac-hex accepts an optional sha256= label', () => {
    const expected = signedCase('hmac-hex');
    const headers = { 'x-signature': `sha256=${expected.headers['x-signature']}` };
    expect(verifyRequest(expected.config, inputFor(expected, { headers })).ok).toBe(true);
  });

  it('grafana without a timestamp header signs the bare body', () => {
    const config = { scheme: 'grafana' as const, secrets: [{ value: SECRETS.grafana }] };
    const headers = signRequest('grafana', SECRETS.grafana, BODY);
    expect(Object.keys(headers)).toEqual(['X-Grafana-Alerting-Signature']);
    expect(verifyRequest(config, { headers, rawBody: BODY, now: NOW }).ok).toBe(true);
  });

  it('stripe accepts several v1 entries and ignores v0', () => {
    const valid = signedCase('stripe').headers['stripe-signature'];
    const header = `${valid.replace(',v1=', `,v0=${'0'.repeat(64)},v1=${'ab'.repeat(32)},v1=`)}`;
    const config = { scheme: 'stripe' as const, secrets: [{ value: SECRETS.stripe }] };
    expect(verifyRequest(config, { headers: { 'Stripe-Signature': header }, rawBody: BODY, now: NOW }).ok).toBe(true);
  });

  it('pagerduty accepts any of several v1 entries', () => {
    const valid = signedCase('pagerduty').headers['x-pagerduty-signature'];
    const config = { scheme: 'pagerduty' as const, secrets: [{ value: SECRETS.pagerduty }] };
    const headers = { 'X-PagerDuty-Signature': `v1=${'cd'.repeat(32)}, ${valid}` };
    expect(verifyRequest(config, { headers, rawBody: BODY, now: NOW }).ok).toBe(true);
  });

  it('token from a configured header or a query parameter', () => {
    const secrets = [{ value: SECRETS.token }];
    const fromHeader = verifyRequest(
      { scheme: 'token', secrets, header: 'X-Intake-Token' },
      { headers: { 'x-intake-token': SECRETS.token }, rawBody: BODY, now: NOW },
    );
    const fromQuery = verifyRequest(
      { scheme: 'token', secrets, queryParam: 'token' },
      { headers: {}, query: { token: SECRETS.token }, rawBody: BODY, now: NOW },
    );
    expect([fromHeader.ok, fromQuery.ok]).toEqual([true, true]);
    expect(signRequest('token', SECRETS.token, BODY, { header: 'X-Intake-Token' })).toEqual({ 'X-Intake-Token': SECRETS.token });
  });

  it('none accepts anything and signs nothing', () => {
    const result = verifyRequest({ scheme: 'none', secrets: [] }, { headers: {}, rawBody: BODY, now: NOW });
    expect(result.ok).toBe(true);
    expect(signRequest('none', '', BODY)).toEqual({});
  });
});

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
