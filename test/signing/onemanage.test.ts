import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signRequest, verifyRequest } from '../../core/signing';

const SECRET = 'om-webhook-secret';
const NOW = new Date('2021-06-25T12:12:10Z');
// The bytes OneManage sends, as they came (pretty-printed), not a re-serialisation.
const RAW = readFileSync(join(__dirname, '..', 'fixtures', 'providers', 'onemanage.bug_report_created.json'));
const config = { scheme: 'onemanage' as const, secrets: [{ value: SECRET }] };

describe('onemanage scheme (the body HMAC with OneManage\'s header)', () => {
  it('accepts the lowercase hex HMAC-SHA256 of the raw body in X-OneManage-Signature, computed independently', () => {
    const signature = createHmac('sha256', SECRET).update(RAW).digest('hex');
    expect(verifyRequest(config, { headers: { 'x-onemanage-signature': signature }, rawBody: RAW, now: NOW }).ok).toBe(true);
    expect(signRequest('onemanage', SECRET, RAW)).toEqual({ 'X-OneManage-Signature': signature });
  });

  it('refuses the MAC of the re-serialised JSON (what OneManage\'s own sample verifier computes), another secret, and a missing header', () => {
    const reserialised = createHmac('sha256', SECRET).update(JSON.stringify(JSON.parse(RAW.toString()))).digest('hex');
    const wrong = verifyRequest(config, { headers: { 'x-onemanage-signature': reserialised }, rawBody: RAW, now: NOW });
    expect(wrong).toMatchObject({ ok: false, code: 'invalid_signature' });
    const other = createHmac('sha256', 'another-secret').update(RAW).digest('hex');
    expect(verifyRequest(config, { headers: { 'x-onemanage-signature': other }, rawBody: RAW, now: NOW })).toMatchObject({ ok: false, code: 'invalid_signature' });
    expect(verifyRequest(config, { headers: {}, rawBody: RAW, now: NOW })).toMatchObject({ ok: false, code: 'missing_signature', message: expect.stringContaining('X-OneManage-Signature') });
    expect(verifyRequest(config, { headers: { 'x-onemanage-signature': 'zz' }, rawBody: RAW, now: NOW })).toMatchObject({ ok: false, code: 'malformed_signature' });
  });
});
