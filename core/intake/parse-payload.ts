import { headerValues, type HeaderBag } from '../http/headers';
import { dropPrototypeKeys } from './drop-prototype-keys';
import { jsonDepthExceeds } from './json-depth';

export { jsonDepthExceeds };

export type ParseResult = { ok: true; payload: unknown } | { ok: false; code: 'malformed' | 'unsupported_media_type'; message: string };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Media types that carry JSON. Some senders (scripts, Zabbix) label JSON as text/plain, so that is accepted too. */
function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || mediaType === 'text/plain' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/** Decodes and parses a request body: JSON only, strict UTF-8, one leading BOM tolerated. */
export function parsePayload(headers: HeaderBag, rawBody: Buffer, maxDepth: number): ParseResult {
  const contentTypes = headerValues(headers, 'content-type');
  if (contentTypes.length > 1) return { ok: false, code: 'malformed', message: 'Content-Type was sent more than once' };
  if (!isJsonMediaType(contentTypes[0])) {
    return { ok: false, code: 'unsupported_media_type', message: `expected a JSON body, got Content-Type ${contentTypes[0]!.slice(0, 100)}` };
  }
  if (rawBody.length === 0) return { ok: false, code: 'malformed', message: 'the request body is empty' };
  let text: string;
  try {
    text = UTF8.decode(rawBody);
  } catch {
    return { ok: false, code: 'malformed', message: 'the request body is not valid UTF-8' };
  }
  if (text.trim() === '') return { ok: false, code: 'malformed', message: 'the request body is empty' };
  if (jsonDepthExceeds(text, maxDepth)) {
    return { ok: false, code: 'malformed', message: `the JSON body is nested deeper than ${maxDepth} levels` };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'malformed', message: `the request body is not valid JSON: ${(error as Error).message.slice(0, 200)}` };
  }
  if (payload === null || typeof payload !== 'object') {
    return { ok: false, code: 'malformed', message: 'the request body must be a JSON object or array' };
  }
  dropPrototypeKeys(payload, text);
  return { ok: true, payload };
}
