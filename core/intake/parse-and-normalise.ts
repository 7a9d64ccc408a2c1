import type { HeaderBag } from '../http/headers';
import type { NormaliseContext, NormaliseResult, Normaliser } from '../mapping/normaliser';
import { decodeBody, parsePayload } from './parse-payload';

/**
 * Bodies over this many bytes are parsed and mapped by a mapping worker when the normaliser can: parsing
 * megabytes of JSON and collecting the garbage it leaves costs a host's event loop well over 100 ms.
 * Under it (the default cap is 256 KiB) parsing on the loop costs a few milliseconds.
 */
export const OFF_LOOP_BODY_BYTES = 512 * 1024;

export type ParsedAndNormalised =
  | { ok: true; result: NormaliseResult }
  | { ok: false; code: 'malformed' | 'unsupported_media_type'; message: string };

/** The body → JSON → candidates, on this event loop or, for a large body, in a mapping worker. */
export async function parseAndNormalise(headers: HeaderBag, rawBody: Buffer, maxDepth: number, normaliser: Normaliser, context: NormaliseContext): Promise<ParsedAndNormalised> {
  if (rawBody.length > OFF_LOOP_BODY_BYTES && normaliser.normaliseJson) {
    const decoded = decodeBody(headers, rawBody);
    if (!decoded.ok) return decoded;
    const normalised = await normaliser.normaliseJson(decoded.text, maxDepth, context);
    return normalised.ok ? normalised : { ok: false, code: 'malformed', message: normalised.message };
  }
  const parsed = parsePayload(headers, rawBody, maxDepth);
  if (!parsed.ok) return parsed;
  return { ok: true, result: await normaliser.normalise(parsed.payload, context) };
}
