import { describe, expect, it } from 'vitest';
import { signRequest } from '../../core/signing';
import { NOW_SECONDS, expectFailure, hmac, inputFor, signedCase, verify } from './fixtures';

const TIMESTAMPED = ['standard-webhooks', 'stripe', 'grafana'] as const;

function at(seconds: number): Date {
  return new Date(seconds * 1000);
}

describe.each(TIMESTAMPED)('%s timestamp tolerance', (scheme) => {
  const signed = signedCase(scheme);

  it('defaults to 300 s and accepts exactly 300 s in both directions', () => {
    expect(verify(signed.config, inputFor(signed, { now: at(NOW_SECONDS + 300) })).ok).toBe(true);
    expect(verify(signed.config, inputFor(signed, { now: at(NOW_SECONDS - 300) })).ok).toBe(true);
    // Sub-second parts of "now" do not push an exact boundary over.
    expect(verify(signed.config, inputFor(signed, { now: new Date((NOW_SECONDS + 300) * 1000 + 999) })).ok).toBe(true);
  });

  it('rejects a timestamp one second too old', () => {
    const result = verify(signed.config, inputFor(signed, { now: at(NOW_SECONDS + 301) }));
    expectFailure(result, 'timestamp_out_of_tolerance');
    expect(!result.ok && result.message).toMatch(/too old/);
  });

  it('rejects a timestamp one second too new', () => {
    const result = verify(signed.config, inputFor(signed, { now: at(NOW_SECONDS - 301) }));
    expectFailure(result, 'timestamp_out_of_tolerance');
    expect(!result.ok && result.message).toMatch(/too new/);
  });

  it('honours a configured tolerance', () => {
    const config = { ...signed.config, toleranceSeconds: 30 };
    expect(verify(config, inputFor(signed, { now: at(NOW_SECONDS - 30) })).ok).toBe(true);
    expectFailure(verify(config, inputFor(signed, { now: at(NOW_SECONDS + 31) })), 'timestamp_out_of_tolerance');
  });

  it('rejects rather than accepts when the tolerance is not a number', () => {
    expectFailure(verify({ ...signed.config, toleranceSeconds: Number.NaN }, inputFor(signed)), 'timestamp_out_of_tolerance');
  });

  it('reports the timestamp it accepted', () => {
    expect(verify(signed.config, inputFor(signed))).toMatchObject({ ok: true, timestamp: NOW_SECONDS });
  });
});

describe('hmac-hex with a timestamp header', () => {
  it('signs "{ts}:{body}" and applies the tolerance', () => {
    const config = { scheme: 'hmac-hex' as const, secrets: [{ value: 'k' }], timestampHeader: 'X-Timestamp' };
    const headers = signRequest('hmac-hex', 'k', Buffer.from('{}'), { timestamp: NOW_SECONDS, timestampHeader: 'X-Timestamp' });
    expect(headers).toEqual({ 'X-Timestamp': String(NOW_SECONDS), 'X-Signature': hmac('k', `${NOW_SECONDS}:{}`, 'hex') });
    const input = { headers, rawBody: Buffer.from('{}'), now: at(NOW_SECONDS + 300) };
    expect(verify(config, input).ok).toBe(true);
    expectFailure(verify(config, { ...input, now: at(NOW_SECONDS + 301) }), 'timestamp_out_of_tolerance');
    expectFailure(verify(config, { ...input, headers: { 'X-Signature': headers['X-Signature'] } }), 'missing_timestamp');
  });
});
