import { redactJson, redactText } from '../delivery/redact';

const MAX_SHOWN = 16 * 1024;

/**
 * A request body as a reviewer sees it: pretty-printed JSON with credential-named keys and credential-shaped
 * strings blanked, cut at a bound. A body that is not JSON is shown as redacted text.
 */
export function payloadText(body: Buffer | undefined, maxChars = MAX_SHOWN): string {
  if (!body) return '(the request body is no longer stored)';
  const text = body.subarray(0, maxChars * 4).toString('utf8');
  let shown: string;
  try {
    shown = JSON.stringify(redactJson(JSON.parse(body.toString('utf8')), []), null, 2);
  } catch {
    shown = redactText(text, []);
  }
  return shown.length > maxChars ? `${shown.slice(0, maxChars)}\n… (${shown.length - maxChars} more characters not shown)` : shown;
}

/** Any stored JSON value (a candidate, a response summary) as redacted, bounded, pretty text. */
export function jsonText(value: unknown, maxChars = MAX_SHOWN): string {
  const shown = withoutEndpoints(JSON.stringify(redactJson(value, []), null, 2) ?? 'null');
  return shown.length > maxChars ? `${shown.slice(0, maxChars)}\n… (${shown.length - maxChars} more characters not shown)` : shown;
}

/** Text that may name an endpoint (a transport error, a remote message): URLs are never shown, only that one was there. */
export function withoutEndpoints(text: string | null | undefined): string {
  if (!text) return '';
  return redactText(text, []).replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, '[endpoint]');
}
