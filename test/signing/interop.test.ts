import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateStandardWebhookSecret, signRequest, verifyRequest } from '../../core/signing';

// The reference library checks timestamps against the real clock, so these tests sign "now".
const body = Buffer.from(JSON.stringify({ event: 'incident.triggered', title: 'Disk full on db-01', emoji: 'é🚨' }));

describe('interoperability with the standardwebhooks reference library', () => {
  it('verifies what the reference library signs', () => {
    const secret = generateStandardWebhookSecret();
    const now = new Date();
    const id = 'msg_interop_1';
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, now, body) };
    const result = verifyRequest({ scheme: 'standard-webhooks', secrets: [{ value: secret }] }, { headers, rawBody: body, now });
    expect(result).toMatchObject({ ok: true, messageId: id, replayKey: `id:${id}` });
  });

  it('produces what the reference library verifies', () => {
    const secret = generateStandardWebhookSecret();
    const headers = signRequest('standard-webhooks', secret, body, { id: 'msg_interop_2' });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body.toString()));
  });

  it('the reference library rejects what we sign with another secret', () => {
    const headers = signRequest('standard-webhooks', generateStandardWebhookSecret(), body);
    expect(() => new Webhook(generateStandardWebhookSecret()).verify(body, headers)).toThrow(/No matching signature/);
  });

  it('generated secrets are whsec_ + base64 of 32 random bytes', () => {
    const secret = generateStandardWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateStandardWebhookSecret()).not.toBe(secret);
  });
});
