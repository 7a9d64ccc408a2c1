import { describe, expect, it } from 'vitest';
import { redactJson, redactText, redactUrl, REDACTED } from '../../core/delivery';
import { MAX_SUMMARY_BODY_CHARS, summarizeResponse } from '../../core/delivery/response-summary';

const SECRET = 'sk_live_0123456789';

describe('redaction', () => {
  it('removes known secrets and recognisable credentials from text', () => {
    expect(redactText(`echo ${SECRET} and Bearer abc.def-ghi and whsec_AAAABBBB==`, [SECRET])).toBe(`echo ${REDACTED} and Bearer ${REDACTED} and ${REDACTED}`);
    expect(redactText('ab is short', ['ab'])).toBe('ab is short');
  });

  it('blanks credential-named JSON keys wherever they are nested', () => {
    expect(redactJson({ a: { api_key: 'x', token: { value: 'y' } }, list: [{ password: 1 }], note: `has ${SECRET}` }, [SECRET])).toEqual({
      a: { api_key: REDACTED, token: REDACTED },
      list: [{ password: REDACTED }],
      note: `has ${REDACTED}`,
    });
  });

  it('strips user info and query values from URLs', () => {
    expect(redactUrl('https://u:p@example.com/x?token=abc&b=1')).toBe(`https://example.com/x?token=${encodeURIComponent(REDACTED)}&b=${encodeURIComponent(REDACTED)}`);
    expect(redactUrl('not a url')).toBe(REDACTED);
  });

  it('keeps a bounded, redacted response summary with only harmless headers', () => {
    const body = Buffer.from(`${SECRET} ${'x'.repeat(5_000)}`);
    const summary = summarizeResponse(
      { status: 500, headers: { 'set-cookie': 'session=abc', 'content-type': 'text/plain', 'x-request-id': 'r-1', authorization: 'Bearer zzz' }, body, bodyTruncated: false },
      [SECRET],
    );
    expect(summary.headers).toEqual({ 'content-type': 'text/plain', 'x-request-id': 'r-1' });
    expect(summary.body!.length).toBe(MAX_SUMMARY_BODY_CHARS);
    expect(summary.body!.startsWith(REDACTED)).toBe(true);
    expect(summary).toMatchObject({ status: 500, bodyBytes: body.length, truncated: true, requestId: 'r-1' });
    expect(JSON.stringify(summary)).not.toContain(SECRET);
  });

  it('surfaces incident.io errors[].code/message/field from a JSON answer', () => {
    const json = { type: 'validation_error', request_id: 'req-9', errors: [{ code: 'is_required', message: 'A severity is required', source: { field: 'severity_id' } }] };
    const summary = summarizeResponse({ status: 422, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(json)), bodyTruncated: false, json }, []);
    expect(summary.errors).toEqual([{ code: 'is_required', message: 'A severity is required', field: 'severity_id' }]);
    expect(summary.requestId).toBe('req-9');
  });
});
