import { createHmac, randomBytes } from 'node:crypto';
import { sign as octokitSign, verify as octokitVerify, verifyWithFallback as octokitVerifyWithFallback } from '@octokit/webhooks-methods';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { generateStandardWebhookSecret, signRequest, type AuthConfig, type VerifyResult } from '../../core/signing';
import { expectFailure, verify } from './fixtures';

/**
 * Vectors made by the libraries senders use (stripe, @octokit/webhooks-methods, svix) and by the senders' own
 * published code (go-pagerduty's test vector, Grafana's HMAC round tripper, ServiceNow's generateMac), checked
 * in both directions where the library can verify. Fixed clocks wherever the library takes one; the others sign
 * or verify "now".
 */

const stripeWebhooks = new Stripe('sk_test_interop_not_a_real_key').webhooks;
const T = 1_736_935_200; // 2025-01-15T10:00:00Z
const AT_T = new Date(T * 1000);
const event = Buffer.from(JSON.stringify({ id: 'evt_1QhInterop', object: 'event', type: 'charge.failed', data: { object: { description: 'Disk full on db-01 — é🚨' } } }));

function ok(result: VerifyResult): string {
  expect(result).toMatchObject({ ok: true });
  return result.ok ? result.replayKey : '';
}

describe('stripe (stripe.webhooks.generateTestHeaderString / constructEvent)', () => {
  const secret = 'whsec_8f3c1e5a7b9d2f4a6c8e0b1d3f5a7c9e'; // used as-is, prefix included
  const config: AuthConfig = { scheme: 'stripe', secrets: [{ value: secret }] };
  const header = (options: { secret?: string; timestamp?: number; payload?: Buffer; scheme?: string } = {}) =>
    stripeWebhooks.generateTestHeaderString({ payload: (options.payload ?? event).toString(), secret: options.secret ?? secret, timestamp: options.timestamp ?? T, scheme: options.scheme });

  it('verifies what stripe signs (the whsec_ secret is the raw HMAC key, not base64)', () => {
    const signed = header();
    expect(signed).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verify(config, { headers: { 'Stripe-Signature': signed }, rawBody: event, now: AT_T })).toMatchObject({ ok: true, timestamp: T });
  });

  it('produces what stripe.webhooks.constructEvent accepts, and stripe refuses it under another secret', () => {
    const headers = signRequest('stripe', secret, event, { timestamp: T });
    const parsed = stripeWebhooks.constructEvent(event, headers['Stripe-Signature'], secret, 300, undefined, T * 1000);
    expect(parsed).toMatchObject({ id: 'evt_1QhInterop', type: 'charge.failed' });
    expect(() => stripeWebhooks.constructEvent(event, headers['Stripe-Signature'], 'whsec_other', 300, undefined, T * 1000)).toThrow(/No signatures found/);
    // and without a fixed clock, signing now
    const now = signRequest('stripe', secret, event);
    expect(stripeWebhooks.constructEvent(event.toString(), now['Stripe-Signature'], secret)).toMatchObject({ id: 'evt_1QhInterop' });
  });

  it('secret rotation: one v1 per live secret plus v0 entries; either of our secrets matches, neither does not', () => {
    const oldSecret = 'whsec_old0000000000000000000000000000';
    const newSecret = 'whsec_new1111111111111111111111111111';
    const v1Old = header({ secret: oldSecret }).split(',')[1];
    const v1New = header({ secret: newSecret }).split(',')[1];
    const v0 = header({ secret: 'whsec_test_mode_v0', scheme: 'v0' }).split(',')[1];
    expect(v0).toMatch(/^v0=/);
    const rotating = `t=${T},${v1New},${v1Old},${v0}`;
    const headers = { 'stripe-signature': rotating };
    // stripe itself accepts the header under either secret
    expect(stripeWebhooks.constructEvent(event, rotating, oldSecret, 300, undefined, T * 1000)).toBeTruthy();
    expect(stripeWebhooks.constructEvent(event, rotating, newSecret, 300, undefined, T * 1000)).toBeTruthy();
    const keys = [oldSecret, newSecret].map((value) => ok(verify({ scheme: 'stripe', secrets: [{ value }] }, { headers, rawBody: event, now: AT_T })));
    // both accept the same signed content, so a replay is the same key whichever secret matched
    expect(keys[0]).toBe(keys[1]);
    ok(verify({ scheme: 'stripe', secrets: [{ value: newSecret }, { value: oldSecret, expiresAt: AT_T.getTime() + 1000 }] }, { headers, rawBody: event, now: AT_T }));
    expectFailure(verify(config, { headers, rawBody: event, now: AT_T }), 'invalid_signature');
    // only a v0 (test-mode) signature is never enough
    expectFailure(verify({ scheme: 'stripe', secrets: [{ value: 'whsec_test_mode_v0' }] }, { headers: { 'stripe-signature': `t=${T},${v0}` }, rawBody: event, now: AT_T }), 'malformed_signature');
  });

  it('our rotation: the retiring secret verifies stripe signatures until it expires', () => {
    const retiring = 'whsec_retiring22222222222222222222222';
    const secrets = [{ value: secret }, { value: retiring, expiresAt: AT_T.getTime() + 60_000 }];
    const headers = { 'stripe-signature': header({ secret: retiring }) };
    ok(verify({ scheme: 'stripe', secrets }, { headers, rawBody: event, now: AT_T }));
    expectFailure(verify({ scheme: 'stripe', secrets }, { headers: { 'stripe-signature': header({ secret: retiring, timestamp: T + 60 }) }, rawBody: event, now: new Date((T + 60) * 1000) }), 'invalid_signature');
  });

  it('tolerance: both refuse a stale t=; we also refuse a future t= (stripe only checks age)', () => {
    const stale = header({ timestamp: T - 301 });
    expect(() => stripeWebhooks.constructEvent(event, stale, secret, 300, undefined, T * 1000)).toThrow(/tolerance/);
    expectFailure(verify(config, { headers: { 'stripe-signature': stale }, rawBody: event, now: AT_T }), 'timestamp_out_of_tolerance');
    const future = header({ timestamp: T + 301 });
    expect(stripeWebhooks.constructEvent(event, future, secret, 300, undefined, T * 1000)).toBeTruthy();
    expectFailure(verify(config, { headers: { 'stripe-signature': future }, rawBody: event, now: AT_T }), 'timestamp_out_of_tolerance');
  });

  it('t= in milliseconds is refused (stripe signs seconds), with a hint in the message', () => {
    const millis = header({ timestamp: T * 1000 });
    const result = verify(config, { headers: { 'stripe-signature': millis }, rawBody: event, now: AT_T });
    expectFailure(result, 'timestamp_out_of_tolerance');
    expect(!result.ok && result.message).toMatch(/milliseconds/);
  });

  it('edge forms: uppercase hex, spaces around entries and the header; the replay key does not change', () => {
    const signed = header();
    const [t, v1] = signed.split(',');
    const original = ok(verify(config, { headers: { 'stripe-signature': signed }, rawBody: event, now: AT_T }));
    for (const variant of [`${t},${v1.toUpperCase().replace('V1=', 'v1=')}`, `  ${t} , ${v1} `, `${v1}, ${t}`, `${t},v1=${'0'.repeat(64)},${v1}`]) {
      expect(ok(verify(config, { headers: { 'stripe-signature': variant }, rawBody: event, now: AT_T }))).toBe(original);
    }
  });
});

describe('@octokit/webhooks-methods (GitHub sha256=, also Jira Cloud X-Hub-Signature)', () => {
  const secret = "It's a Secret to Everybody";
  const payload = event.toString('utf8');
  const config: AuthConfig = { scheme: 'hub-sha256', secrets: [{ value: secret }] };

  it('reproduces GitHub\'s published vector with octokit', async () => {
    expect(await octokitSign(secret, 'Hello, World!')).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });

  it('verifies what octokit signs, in X-Hub-Signature-256 (GitHub) and X-Hub-Signature (Jira Cloud)', async () => {
    const signature = await octokitSign(secret, payload);
    ok(verify(config, { headers: { 'X-Hub-Signature-256': signature }, rawBody: event, now: AT_T }));
    ok(verify(config, { headers: { 'X-Hub-Signature': signature }, rawBody: event, now: AT_T }));
    // GitHub sends the legacy sha1= in X-Hub-Signature next to sha256= in X-Hub-Signature-256
    const sha1 = `sha1=${createHmac('sha1', secret).update(event).digest('hex')}`;
    ok(verify(config, { headers: { 'X-Hub-Signature': sha1, 'X-Hub-Signature-256': signature }, rawBody: event, now: AT_T }));
    expectFailure(verify(config, { headers: { 'X-Hub-Signature': sha1 }, rawBody: event, now: AT_T }), 'malformed_signature');
  });

  it('produces what octokit verifies (under either header name), and octokit refuses another secret', async () => {
    const github = signRequest('hub-sha256', secret, event);
    expect(await octokitVerify(secret, payload, github['X-Hub-Signature-256'])).toBe(true);
    const jira = signRequest('hub-sha256', secret, event, { header: 'X-Hub-Signature' });
    expect(await octokitVerify(secret, payload, jira['X-Hub-Signature'])).toBe(true);
    expect(await octokitVerify('another secret', payload, github['X-Hub-Signature-256'])).toBe(false);
    expect(await octokitVerifyWithFallback('new secret', payload, github['X-Hub-Signature-256'], [secret])).toBe(true);
  });

  it('rotation: a sender still on the old secret verifies while the old secret is live', async () => {
    const signature = await octokitSign('old secret', payload);
    const secrets = [{ value: 'new secret' }, { value: 'old secret', expiresAt: AT_T.getTime() + 1 }];
    ok(verify({ scheme: 'hub-sha256', secrets }, { headers: { 'x-hub-signature-256': signature }, rawBody: event, now: AT_T }));
    expectFailure(verify({ scheme: 'hub-sha256', secrets }, { headers: { 'x-hub-signature-256': signature }, rawBody: event, now: new Date(AT_T.getTime() + 1) }), 'invalid_signature');
  });

  it('edge forms octokit itself refuses but senders produce: uppercase hex, SHA256= label, padding spaces', async () => {
    const signature = await octokitSign(secret, payload);
    const hex = signature.slice('sha256='.length);
    const original = ok(verify(config, { headers: { 'X-Hub-Signature-256': signature }, rawBody: event, now: AT_T }));
    for (const variant of [`sha256=${hex.toUpperCase()}`, `SHA256=${hex}`, `  ${signature}\t`]) {
      expect(ok(verify(config, { headers: { 'X-Hub-Signature-256': variant }, rawBody: event, now: AT_T }))).toBe(original);
    }
    expect(await octokitVerify(secret, payload, `sha256=${hex.toUpperCase()}`)).toBe(false);
  });
});

describe('svix (Standard Webhooks under svix-* headers)', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'; // the svix / Standard Webhooks documentation secret
  const config: AuthConfig = { scheme: 'standard-webhooks', secrets: [{ value: secret }] };
  const id = 'msg_2bXv8yZ3kQpLmNoPqRsTuVwXyZ';
  const svixHeaders = (signature: string, timestamp = T) => ({ 'svix-id': id, 'svix-timestamp': String(timestamp), 'svix-signature': signature });

  it('verifies what svix signs, with and without the whsec_ prefix on our side', () => {
    const signature = new SvixWebhook(secret).sign(id, AT_T, event);
    for (const value of [secret, secret.slice('whsec_'.length)]) {
      expect(verify({ scheme: 'standard-webhooks', secrets: [{ value }] }, { headers: svixHeaders(signature), rawBody: event, now: AT_T })).toEqual({
        ok: true,
        secretLabel: 'current',
        messageId: id,
        replayKey: `id:${id}`,
        timestamp: T,
      });
    }
  });

  it('produces what svix verifies, under webhook-* and renamed to svix-*', () => {
    const ours = generateStandardWebhookSecret();
    const headers = signRequest('standard-webhooks', ours, event, { id });
    const svix = new SvixWebhook(ours);
    expect(svix.verify(event, headers)).toMatchObject({ id: 'evt_1QhInterop' });
    const branded = { 'svix-id': headers['webhook-id'], 'svix-timestamp': headers['webhook-timestamp'], 'svix-signature': headers['webhook-signature'] };
    expect(svix.verify(event.toString(), branded)).toMatchObject({ id: 'evt_1QhInterop' });
    expect(() => new SvixWebhook(generateStandardWebhookSecret()).verify(event, headers)).toThrow(/No matching signature/);
  });

  it('a raw-format svix key is our whsec_ + base64 of the same bytes', () => {
    const raw = randomBytes(32);
    const signature = new SvixWebhook(raw, { format: 'raw' }).sign(id, AT_T, event);
    ok(verify({ scheme: 'standard-webhooks', secrets: [{ value: `whsec_${raw.toString('base64')}` }] }, { headers: svixHeaders(signature), rawBody: event, now: AT_T }));
  });

  it('several space-separated signatures: v1a and unknown versions are skipped, any v1 may match', () => {
    const good = new SvixWebhook(secret).sign(id, AT_T, event);
    const other = new SvixWebhook(generateStandardWebhookSecret()).sign(id, AT_T, event);
    const ed25519 = `v1a,${randomBytes(64).toString('base64')}`;
    const header = `${ed25519} ${other} v2,${randomBytes(32).toString('base64')} ${good}`;
    // svix agrees
    expect(new SvixWebhook(secret).verify(event, { ...svixHeaders(header, Math.floor(Date.now() / 1000)), 'svix-signature': `${ed25519} ${other} ${new SvixWebhook(secret).sign(id, new Date(), event)}` })).toBeTruthy();
    const key = ok(verify(config, { headers: svixHeaders(header), rawBody: event, now: AT_T }));
    expect(key).toBe(`id:${id}`);
    expectFailure(verify(config, { headers: svixHeaders(`${ed25519} ${other}`), rawBody: event, now: AT_T }), 'invalid_signature');
    expectFailure(verify(config, { headers: svixHeaders(ed25519), rawBody: event, now: AT_T }), 'malformed_signature');
  });

  it('whitespace around header values and between entries', () => {
    const good = new SvixWebhook(secret).sign(id, AT_T, event);
    const headers = { 'svix-id': ` ${id} `, 'svix-timestamp': ` ${T} `, 'svix-signature': `  v1a,${randomBytes(64).toString('base64')}   ${good}  ` };
    expect(verify(config, { headers, rawBody: event, now: AT_T })).toMatchObject({ ok: true, messageId: id, replayKey: `id:${id}` });
  });

  it('timestamps are seconds: a millisecond timestamp is refused by svix and by us', () => {
    const millis = Date.now();
    const signature = new SvixWebhook(secret).sign(id, new Date(millis), event);
    // svix signs seconds; a sender writing milliseconds into the header no longer matches the seconds it signed…
    expect(() => new SvixWebhook(secret).verify(event, svixHeaders(signature, millis))).toThrow(/too new/);
    // …and one signing the milliseconds text is outside any tolerance
    const content = Buffer.concat([Buffer.from(`${id}.${millis}.`), event]);
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const signedMillis = `v1,${createHmac('sha256', key).update(content).digest('base64')}`;
    const result = verify(config, { headers: svixHeaders(signedMillis, millis), rawBody: event, now: new Date(millis) });
    expectFailure(result, 'timestamp_out_of_tolerance');
    expect(!result.ok && result.message).toMatch(/milliseconds/);
  });

  it('tolerance matches svix: ±300 s, both directions', () => {
    const now = Math.floor(Date.now() / 1000);
    for (const [offset, expected] of [[-300, true], [300, true], [-301, false], [301, false]] as const) {
      const timestamp = now + offset;
      const headers = svixHeaders(new SvixWebhook(secret).sign(id, new Date(timestamp * 1000), event), timestamp);
      expect(verify(config, { headers, rawBody: event, now: new Date(now * 1000) }).ok).toBe(expected);
      if (Math.abs(offset) === 301) expect(() => new SvixWebhook(secret).verify(event, headers)).toThrow(/too (old|new)/);
    }
  });
});

describe('PagerDuty v3 (go-pagerduty webhookv3 and the developer documentation)', () => {
  // PagerDuty/go-pagerduty webhookv3/webhookv3_test.go: its secret, body and valid signature.
  const secret = 'lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK';
  const body = Buffer.from(
    '{"event":{"id":"01BWDWL3NYY7LUFPZCC28QUCMK","event_type":"incident.priority_updated","resource_type":"incident","occurred_at":"2021-04-26T17:36:27.458Z","agent":{"html_url":"https://acme.pagerduty.com/users/PLH1HKV","id":"PLH1HKV","self":"https://api.pagerduty.com/users/PLH1HKV","summary":"Tenex Engineer","type":"user_reference"},"client":null,"data":{"id":"PGR0VU2","type":"incident","self":"https://api.pagerduty.com/incidents/PGR0VU2","html_url":"https://acme.pagerduty.com/incidents/PGR0VU2","number":2,"status":"triggered","title":"A little bump in the road","service":{"html_url":"https://acme.pagerduty.com/services/PF9KMXH","id":"PF9KMXH","self":"https://api.pagerduty.com/services/PF9KMXH","summary":"API Service","type":"service_reference"},"assignees":[{"html_url":"https://acme.pagerduty.com/users/PTUXL6G","id":"PTUXL6G","self":"https://api.pagerduty.com/users/PTUXL6G","summary":"User 123","type":"user_reference"}],"escalation_policy":{"html_url":"https://acme.pagerduty.com/escalation_policies/PUS0KTE","id":"PUS0KTE","self":"https://api.pagerduty.com/escalation_policies/PUS0KTE","summary":"Default","type":"escalation_policy_reference"},"teams":[{"html_url":"https://acme.pagerduty.com/teams/PFCVPS0","id":"PFCVPS0","self":"https://api.pagerduty.com/teams/PFCVPS0","summary":"Engineering","type":"team_reference"}],"priority":{"html_url":"https://acme.pagerduty.com/account/incident_priorities","id":"PSO75BM","self":"https://api.pagerduty.com/priorities/PSO75BM","summary":"P1","type":"priority_reference"},"urgency":"high","conference_bridge":{"conference_number":1000,"conference_url":"https://example.com"},"resolve_reason":null}}}',
  );
  const valid = 'v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd';
  const mismatch = 'v1=7020c8a7ec668a9b7012bc3dd82e483394b038f4230acc6785efbf2a7d8bcaf5';
  const config: AuthConfig = { scheme: 'pagerduty', secrets: [{ value: secret }] };
  const check = (header: string) => verify(config, { headers: { 'X-PagerDuty-Signature': header }, rawBody: body, now: AT_T });

  it("go-pagerduty's vector: valid verifies (the base64-looking secret is used as-is), mismatch does not", () => {
    ok(check(valid));
    expectFailure(check(mismatch), 'invalid_signature');
    expect(signRequest('pagerduty', secret, body)).toEqual({ 'X-PagerDuty-Signature': valid });
  });

  it('several comma-separated v1 entries during PagerDuty\'s rotation, in any order, with or without spaces', () => {
    const original = ok(check(valid));
    for (const header of [`${mismatch},${valid}`, `${valid},${mismatch}`, `${mismatch}, ${valid}`, ` ${valid} `, `${valid.replace('v1=', 'v1=').toUpperCase().replace('V1=', 'v1=')}`]) {
      expect(ok(check(header))).toBe(original);
    }
    expectFailure(check(`${mismatch},${mismatch}`), 'invalid_signature');
  });

  it('entries of other versions are skipped, as go-pagerduty does; a header with no v1 is refused', () => {
    ok(check(`v2=${'ab'.repeat(32)},${valid}`));
    expectFailure(check(`v2=${'ab'.repeat(32)}`), 'malformed_signature');
  });

  it('the documentation\'s verifier (split on ",", exact "v1=<hex>" match) accepts what we sign', () => {
    const signed = signRequest('pagerduty', 'pd-secret', body)['X-PagerDuty-Signature'];
    const documented = (key: string, payload: Buffer, signatures: string) =>
      signatures.split(',').includes(`v1=${createHmac('sha256', key).update(payload).digest('hex')}`);
    expect(documented('pd-secret', body, signed)).toBe(true);
  });
});

describe("Grafana alerting (grafana/alerting http/hmac.go: HMACRoundTripper)", () => {
  // The round tripper writes hex(HMAC-SHA256(secret, [unix seconds + ":"] + body)) into the signature header
  // and, when a timestamp header is configured, the same unix seconds into it. Go canonicalises header names.
  function grafanaSign(secret: string, body: Buffer, header = 'X-Grafana-Alerting-Signature', timestampHeader = '', clockSeconds = T) {
    const hash = createHmac('sha256', secret);
    const headers: Record<string, string> = {};
    if (timestampHeader) {
      headers[timestampHeader] = String(clockSeconds);
      hash.update(String(clockSeconds)).update(':');
    }
    headers[header] = hash.update(body).digest('hex');
    return headers;
  }
  const alert = Buffer.from('{"receiver":"intake","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DiskFull","severity":"critical"},"fingerprint":"c6eadffa33f1e2a3"}]}');

  it("Grafana's own test cases (secret \"secret\", body \"test message\", mock clock at the epoch)", () => {
    const body = Buffer.from('test message');
    const bare = grafanaSign('secret', body, 'X-Signature');
    ok(verify({ scheme: 'grafana', secrets: [{ value: 'secret' }], header: 'X-Signature' }, { headers: bare, rawBody: body, now: AT_T }));
    const timed = grafanaSign('secret', body, 'X-Signature', 'X-Timestamp', 0);
    expect(timed['X-Timestamp']).toBe('0');
    const timedConfig: AuthConfig = { scheme: 'grafana', secrets: [{ value: 'secret' }], header: 'X-Signature', timestampHeader: 'X-Timestamp' };
    expect(verify(timedConfig, { headers: timed, rawBody: body, now: new Date(0) })).toMatchObject({ ok: true, timestamp: 0 });
    expect(signRequest('grafana', 'secret', body, { header: 'X-Signature', timestampHeader: 'X-Timestamp', timestamp: 0 })).toEqual(timed);
  });

  it('default header, no timestamp header: the body alone is signed', () => {
    const headers = grafanaSign('grafana-secret', alert);
    ok(verify({ scheme: 'grafana', secrets: [{ value: 'grafana-secret' }] }, { headers, rawBody: alert, now: AT_T }));
    expect(signRequest('grafana', 'grafana-secret', alert)).toEqual(headers);
  });

  it('X-Grafana-Alerting-Signature-Timestamp (the provisioning docs\' name): "<unix seconds>:<body>", no ts: prefix', () => {
    const headers = grafanaSign('grafana-secret', alert, 'X-Grafana-Alerting-Signature', 'X-Grafana-Alerting-Signature-Timestamp');
    const config: AuthConfig = { scheme: 'grafana', secrets: [{ value: 'grafana-secret' }], timestampHeader: 'x-grafana-alerting-signature-timestamp' };
    expect(verify(config, { headers, rawBody: alert, now: AT_T })).toMatchObject({ ok: true, timestamp: T });
    expect(signRequest('grafana', 'grafana-secret', alert, { timestampHeader: 'X-Grafana-Alerting-Signature-Timestamp', timestamp: T })).toEqual(headers);
    // a "ts:"-prefixed content is not what Grafana signs
    const tsPrefixed = { ...headers, 'X-Grafana-Alerting-Signature': createHmac('sha256', 'grafana-secret').update(`ts:${T}:`).update(alert).digest('hex') };
    expectFailure(verify(config, { headers: tsPrefixed, rawBody: alert, now: AT_T }), 'invalid_signature');
    // the timestamp is signed and checked: a source expecting one refuses a request without it, and a stale one
    expectFailure(verify(config, { headers: grafanaSign('grafana-secret', alert), rawBody: alert, now: AT_T }), 'missing_timestamp');
    expectFailure(verify(config, { headers, rawBody: alert, now: new Date((T + 301) * 1000) }), 'timestamp_out_of_tolerance');
  });

  it('Grafana signs seconds; a millisecond timestamp header is refused', () => {
    const millis = T * 1000;
    const headers = grafanaSign('grafana-secret', alert, 'X-Grafana-Alerting-Signature', 'X-Grafana-Alerting-Signature-Timestamp', millis);
    const config: AuthConfig = { scheme: 'grafana', secrets: [{ value: 'grafana-secret' }], timestampHeader: 'X-Grafana-Alerting-Signature-Timestamp' };
    expectFailure(verify(config, { headers, rawBody: alert, now: AT_T }), 'timestamp_out_of_tolerance');
  });

  it('uppercase hex and padding spaces in the header are accepted, same replay key', () => {
    const headers = grafanaSign('grafana-secret', alert);
    const config: AuthConfig = { scheme: 'grafana', secrets: [{ value: 'grafana-secret' }] };
    const original = ok(verify(config, { headers, rawBody: alert, now: AT_T }));
    const signature = headers['X-Grafana-Alerting-Signature'];
    for (const variant of [signature.toUpperCase(), ` ${signature} `]) {
      expect(ok(verify(config, { headers: { 'X-Grafana-Alerting-Signature': variant }, rawBody: alert, now: AT_T }))).toBe(original);
    }
  });
});

describe('Jira Cloud admin webhooks (X-Hub-Signature: sha256=<hex>, method prefix included)', () => {
  it("Atlassian's documented vector and the header Jira sends", () => {
    const config: AuthConfig = { scheme: 'hub-sha256', secrets: [{ value: "It's a Secret to Everybody" }] };
    const headers = { 'x-hub-signature': 'sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9', 'x-atlassian-webhook-identifier': '4a1b2c3d-jira-1' };
    const result = verify(config, { headers, rawBody: Buffer.from('Hello World!'), now: AT_T });
    // the identifier is reported but, being unsigned, is never the replay key
    expect(result).toMatchObject({ ok: true, messageId: '4a1b2c3d-jira-1' });
    expect(result.ok && result.replayKey.startsWith('sig:')).toBe(true);
  });

  it('a bare hex value without the sha256= method is refused by hub-sha256 (use hmac-hex for such senders)', () => {
    const hex = 'a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9';
    expectFailure(verify({ scheme: 'hub-sha256', secrets: [{ value: "It's a Secret to Everybody" }] }, { headers: { 'x-hub-signature': hex }, rawBody: Buffer.from('Hello World!'), now: AT_T }), 'malformed_signature');
    ok(verify({ scheme: 'hmac-hex', secrets: [{ value: "It's a Secret to Everybody" }], header: 'X-Hub-Signature' }, { headers: { 'x-hub-signature': hex }, rawBody: Buffer.from('Hello World!'), now: AT_T }));
  });
});

describe('ServiceNow (business rule: CertificateEncryption.generateMac(base64Key, "HmacSHA256", body))', () => {
  // generateMac base64-decodes its key, MACs the UTF-8 bytes of the data and returns standard base64.
  const generateMac = (base64Key: string, data: string) => createHmac('sha256', Buffer.from(base64Key, 'base64')).update(data, 'utf8').digest('base64');
  const secret = 'servicenow-intake-secret-9f2c';
  const record = JSON.stringify({ sys_id: '9d385017c611228701d22104cc95c371', number: 'INC0010042', short_description: 'Störung: Disk full', priority: '1' });

  it('the documented business rule (property = base64 of the intake secret) verifies with hmac-base64', () => {
    const signature = generateMac(Buffer.from(secret, 'utf8').toString('base64'), record);
    expect(signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    ok(verify({ scheme: 'hmac-base64', secrets: [{ value: secret }] }, { headers: { 'X-Signature': signature }, rawBody: Buffer.from(record), now: AT_T }));
    expect(signRequest('hmac-base64', secret, Buffer.from(record))).toEqual({ 'X-Signature': signature });
  });

  it('unpadded base64 and surrounding spaces are accepted; a key put in the property without base64 is not the same key', () => {
    const signature = generateMac(Buffer.from(secret).toString('base64'), record);
    const config: AuthConfig = { scheme: 'hmac-base64', secrets: [{ value: secret }] };
    ok(verify(config, { headers: { 'X-Signature': ` ${signature.replace(/=+$/, '')} ` }, rawBody: Buffer.from(record), now: AT_T }));
    const wrongKey = generateMac(secret, record); // the property held the secret itself
    expectFailure(verify(config, { headers: { 'X-Signature': wrongKey }, rawBody: Buffer.from(record), now: AT_T }), 'invalid_signature');
  });

  it('a script that hex-encodes the MAC (Java printHexBinary gives uppercase) verifies with hmac-hex', () => {
    const mac = createHmac('sha256', secret).update(record).digest('hex').toUpperCase();
    ok(verify({ scheme: 'hmac-hex', secrets: [{ value: secret }] }, { headers: { 'X-Signature': mac }, rawBody: Buffer.from(record), now: AT_T }));
  });
});
