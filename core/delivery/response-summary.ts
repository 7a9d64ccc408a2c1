import { redactJson, redactText, redactUrl } from './redact';
import { remoteErrorsIn, type RemoteError } from './remote-errors';

/** What is kept of a receiver's answer: bounded, redacted, safe to store and to hand to the host flow. */
export interface ResponseSummary {
  status: number;
  headers: Record<string, string>;
  /** The start of the body, secrets removed. */
  body?: string;
  bodyBytes: number;
  truncated: boolean;
  errors?: RemoteError[];
  requestId?: string;
}

export const MAX_SUMMARY_BODY_CHARS = 512;

/** Response headers worth keeping; everything else (cookies, tokens, tracing noise) is dropped. */
const KEPT_HEADERS = ['content-type', 'retry-after', 'webhook-delivery', 'x-request-id', 'request-id', 'location'] as const;

export interface ReceivedResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** The receiver sent more than the transport read. */
  bodyTruncated: boolean;
  json?: unknown;
}

export function summarizeResponse(response: ReceivedResponse, secrets: readonly string[]): ResponseSummary {
  const summary: ResponseSummary = {
    status: response.status,
    headers: keptHeaders(response.headers, secrets),
    bodyBytes: response.body.length,
    truncated: response.bodyTruncated,
  };
  const body = bodyText(response, secrets);
  if (body !== '') {
    summary.body = body.slice(0, MAX_SUMMARY_BODY_CHARS);
    summary.truncated ||= body.length > MAX_SUMMARY_BODY_CHARS;
  }
  const errors = remoteErrorsIn(redactJson(response.json, secrets));
  if (errors.length > 0) summary.errors = errors;
  const requestId = (response.json as { request_id?: unknown } | undefined)?.request_id ?? response.headers['x-request-id'];
  if (typeof requestId === 'string') summary.requestId = redactText(requestId.slice(0, 100), secrets);
  return summary;
}

function keptHeaders(headers: Record<string, string | undefined>, secrets: readonly string[]): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    kept[name] = name === 'location' ? redactUrl(value) : redactText(value.slice(0, 200), secrets);
  }
  return kept;
}

function bodyText(response: ReceivedResponse, secrets: readonly string[]): string {
  if (response.json !== undefined) return JSON.stringify(redactJson(response.json, secrets));
  const text = response.body.subarray(0, MAX_SUMMARY_BODY_CHARS * 4).toString('utf8');
  return redactText(text, secrets);
}
