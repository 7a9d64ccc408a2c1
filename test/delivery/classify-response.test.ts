import { describe, expect, it } from 'vitest';
import { classifyError, classifyResponse, NonRetryableDeliveryError, TransportError } from '../../core/delivery';
import { incidentIoFixture } from './support/fixtures';

const NOW = Date.parse('2024-06-10T08:45:18.000Z');
const answer = (status: number, headers: Record<string, string> = {}, json?: unknown) => classifyResponse({ status, headers, json }, NOW);

describe('classifyResponse: the retry/terminal table', () => {
  it.each([
    [200, 'success'],
    [201, 'success'],
    [202, 'success'],
    [204, 'success'],
    [408, 'retry'],
    [425, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [599, 'retry'],
    [301, 'terminal'],
    [302, 'terminal'],
    [304, 'terminal'],
    [307, 'terminal'],
    [400, 'terminal'],
    [401, 'terminal'],
    [403, 'terminal'],
    [404, 'terminal'],
    [409, 'terminal'],
    [410, 'terminal'],
    [413, 'terminal'],
    [422, 'terminal'],
  ] as const)('%i → %s', (status, outcome) => {
    expect(answer(status)).toMatchObject({ outcome, reason: `http_${status}` });
  });

  it('disables the destination on 410 only', () => {
    expect(answer(410).disableDestination).toBe(true);
    expect(answer(404).disableDestination).toBeUndefined();
  });

  it('stops retrying when the receiver answers webhook-delivery: abort-message', () => {
    expect(answer(503, { 'webhook-delivery': 'abort-message' })).toEqual({ outcome: 'terminal', reason: 'aborted_by_receiver' });
    expect(answer(200, { 'webhook-delivery': 'abort-message' }).outcome).toBe('success');
  });

  it('honours Retry-After in seconds, as an HTTP date, and incident.io’s rate_limit.retry_after', () => {
    expect(answer(429, { 'retry-after': '30' }).retryAfterMs).toBe(30_000);
    expect(answer(503, { 'retry-after': 'Mon, 10 Jun 2024 08:46:18 GMT' }).retryAfterMs).toBe(60_000);
    expect(answer(429, {}, incidentIoFixture('error.429.response')).retryAfterMs).toBe(60_000);
    expect(answer(429).retryAfterMs).toBeUndefined();
    expect(answer(400, { 'retry-after': '30' }).retryAfterMs).toBeUndefined();
  });
});

describe('classifyError', () => {
  it.each([
    ['timeout', 'retry'],
    ['connection_refused', 'retry'],
    ['connection_reset', 'retry'],
    ['connection_failed', 'retry'],
    ['dns_failed', 'retry'],
    ['tls_failed', 'retry'],
    ['invalid_request', 'terminal'],
  ] as const)('transport %s → %s', (failure, outcome) => {
    expect(classifyError(new TransportError(failure, 'x'))).toEqual({ outcome, reason: failure });
  });

  it('treats an adapter’s NonRetryableDeliveryError as terminal and anything unexpected as retryable', () => {
    expect(classifyError(new NonRetryableDeliveryError('body_template_failed', 'x'))).toEqual({ outcome: 'terminal', reason: 'body_template_failed' });
    expect(classifyError(new Error('surprise'))).toEqual({ outcome: 'retry', reason: 'unexpected_error' });
  });
});
