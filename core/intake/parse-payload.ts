import { headerValues, type HeaderBag } from '../http/headers';
import { decodeUtf8 } from './decode-utf8';
import { jsonDepthExceeds } from './json-depth';
import { parseJsonText } from './parse-json-text';

export { jsonDepthExceeds };

export type ParseResult = { ok: true; payload: unknown } | { ok: false; code: 'malformed' | 'unsupported_media_type'; message: string };

/** Media types that carry JSON. Some senders (scripts, Zabbix) label JSON as text/plain, so that is accepted too. */
function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || mediaType === 'text/plain' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

export type DecodeResult = { ok: true; text: string } | { ok: false; code: 'malformed' | 'unsupported_media_type'; message: string };

export type BodyCheck = { ok: true } | { ok: false; code: 'malformed' | 'unsupported_media_type'; message: string };

/** What can be told of a body without reading it: a JSON media type (sent once) and not empty. */
export function checkJsonBody(headers: HeaderBag, rawBody: Buffer): BodyCheck {
  const contentTypes = headerValues(headers, 'content-type');
  if (contentTypes.length > 1) return { ok: false, code: 'malformed', message: 'Content-Type was sent more than once' };
  if (!isJsonMediaType(contentTypes[0])) {
    return { ok: false, code: 'unsupported_media_type', message: `expected a JSON body, got Content-Type ${contentTypes[0]!.slice(0, 100)}` };
  }
  if (rawBody.length === 0) return { ok: false, code: 'malformed', message: 'the request body is empty' };
  return { ok: true };
}

/** The body as JSON text: JSON media type, strict UTF-8, one leading BOM tolerated. Not parsed yet. */
export function decodeBody(headers: HeaderBag, rawBody: Buffer): DecodeResult {
  const checked = checkJsonBody(headers, rawBody);
  if (!checked.ok) return checked;
  const decoded = decodeUtf8(rawBody);
  return decoded.ok ? decoded : { ok: false, code: 'malformed', message: decoded.message };
}

/** Decodes and parses a request body: JSON only, strict UTF-8, one leading BOM tolerated. */
export function parsePayload(headers: HeaderBag, rawBody: Buffer, maxDepth: number): ParseResult {
  const decoded = decodeBody(headers, rawBody);
  if (!decoded.ok) return decoded;
  const parsed = parseJsonText(decoded.text, maxDepth);
  return parsed.ok ? parsed : { ok: false, code: 'malformed', message: parsed.message };
}
