import type { Classification } from './classification';
import { parseRetryAfter } from './retry-policy';

/** Statuses worth another try: the receiver timed out, is not ready, is throttling, or failed on its side. */
const RETRYABLE_STATUSES = new Set([408, 425, 429]);

export interface ResponseFacts {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  /** The parsed JSON body, when there was one. */
  json?: unknown;
}

/**
 * The retry/terminal table for an HTTP answer.
 *
 * | answer                                   | outcome                         |
 * |------------------------------------------|---------------------------------|
 * | 2xx                                      | success                         |
 * | `webhook-delivery: abort-message`        | terminal (receiver said stop)   |
 * | 410 Gone                                 | terminal + destination disabled |
 * | 408, 425, 429, 5xx                       | retry (Retry-After honoured)    |
 * | 3xx (redirects are not followed)         | terminal                        |
 * | any other 4xx, anything else             | terminal                        |
 */
export function classifyResponse(response: ResponseFacts, now: number): Classification {
  const { status } = response;
  if (status >= 200 && status < 300) return { outcome: 'success', reason: `http_${status}` };
  if (response.headers['webhook-delivery']?.trim().toLowerCase() === 'abort-message') {
    return { outcome: 'terminal', reason: 'aborted_by_receiver' };
  }
  if (status === 410) return { outcome: 'terminal', reason: 'http_410', disableDestination: true };
  if (RETRYABLE_STATUSES.has(status) || (status >= 500 && status < 600)) {
    return withRetryAfter({ outcome: 'retry', reason: `http_${status}` }, retryAfterOf(response, now));
  }
  return { outcome: 'terminal', reason: `http_${status}` };
}

function retryAfterOf(response: ResponseFacts, now: number): number | undefined {
  const fromHeader = parseRetryAfter(response.headers['retry-after'], now);
  return fromHeader ?? parseRetryAfter(rateLimitRetryAfter(response.json), now);
}

/** incident.io puts it in the body too: `{"rate_limit": {"retry_after": "Mon, 10 Jun 2024 08:46:18 UTC"}}`. */
function rateLimitRetryAfter(json: unknown): string | number | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const rateLimit = (json as { rate_limit?: unknown }).rate_limit;
  if (typeof rateLimit !== 'object' || rateLimit === null) return undefined;
  const value = (rateLimit as { retry_after?: unknown }).retry_after;
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

function withRetryAfter(classification: Classification, retryAfterMs: number | undefined): Classification {
  return retryAfterMs === undefined ? classification : { ...classification, retryAfterMs };
}
