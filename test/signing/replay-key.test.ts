import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractMessageId } from '../../core/signing';
import { BODY, MESSAGE_ID, NOW_SECONDS, SECRETS, SIGNED_SCHEMES, hmac, inputFor, signedCase, verify } from './fixtures';

function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

describe('replayKey', () => {
  it('is id:<webhook-id> for Standard Webhooks', () => {
    const signed = signedCase('standard-webhooks');
    expect(verify(signed.config, inputFor(signed))).toMatchObject({ ok: true, messageId: MESSAGE_ID, replayKey: `id:${MESSAGE_ID}` });
  });

  it('ignores an id header the signature does not cover: a captured request resent under a fresh id is still a replay', () => {
    const signed = signedCase('pagerduty');
    const first = verify(signed.config, inputFor(signed, { headers: { ...signed.headers, 'X-Webhook-Id': 'pd-delivery-1' } }));
    const resent = verify(signed.config, inputFor(signed, { headers: { ...signed.headers, 'X-Webhook-Id': 'forged-2' } }));
    expect(first).toMatchObject({ ok: true, messageId: 'pd-delivery-1', replayKey: `sig:${sha256Hex(BODY)}` });
    expect(resent).toMatchObject({ ok: true, messageId: 'forged-2', replayKey: `sig:${sha256Hex(BODY)}` });
  });

  it.each(SIGNED_SCHEMES.filter((scheme) => scheme !== 'standard-webhooks'))(
    '%s without a message id: sig:<sha256 of the signed content>',
    (scheme) => {
      const signed = signedCase(scheme);
      const result = verify(signed.config, inputFor(signed));
      const content = scheme === 'stripe' ? `${NOW_SECONDS}.${BODY}` : scheme === 'grafana' ? `${NOW_SECONDS}:${BODY}` : BODY;
      expect(result).toEqual({ ok: true, secretLabel: 'current', replayKey: `sig:${sha256Hex(content)}`, ...(typeof content === 'string' && { timestamp: NOW_SECONDS }) });
    },
  );

  it('stays the same when a verified signature header is rewritten (reordered, padded with other entries)', () => {
    const signed = signedCase('stripe');
    const signature = hmac(SECRETS.stripe, `${NOW_SECONDS}.${BODY}`, 'hex');
    const rewritten = `v0=${'00'.repeat(32)},v1=${signature},t=${NOW_SECONDS}`;
    const original = verify(signed.config, inputFor(signed));
    const replay = verify(signed.config, inputFor(signed, { headers: { 'stripe-signature': rewritten } }));
    expect(replay.ok && original.ok && replay.replayKey === original.replayKey).toBe(true);
  });

  it.each(['token', 'basic', 'none'] as const)('%s: body:<sha256 of the raw body>', (scheme) => {
    const signed = signedCase(scheme);
    expect(verify(signed.config, inputFor(signed))).toEqual({ ok: true, ...(scheme !== 'none' && { secretLabel: 'current' }), replayKey: `body:${sha256Hex(BODY)}` });
  });
});

describe('extractMessageId', () => {
  it.each([
    ['webhook-id', 'msg_1'],
    ['svix-id', 'msg_2'],
    ['X-Webhook-Id', 'pd-3'],
    ['X-Atlassian-Webhook-Identifier', 'jira-4'],
    ['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958'],
  ])('reads %s', (header, value) => {
    expect(extractMessageId({ [header]: value })).toBe(value);
  });

  it('does not treat X-Request-Id as a message id', () => {
    expect(extractMessageId({ 'x-request-id': 'req-1' })).toBeUndefined();
  });

  it('prefers webhook-id and ignores empty values', () => {
    expect(extractMessageId({ 'x-github-delivery': 'gh', 'webhook-id': 'wh' })).toBe('wh');
    expect(extractMessageId({ 'webhook-id': '  ', 'x-github-delivery': 'gh' })).toBe('gh');
  });
});
