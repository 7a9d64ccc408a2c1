import type { HeaderBag } from '../http/headers';
import type { NormaliseContext, NormaliseResult, Normaliser } from '../mapping/normaliser';
import { checkJsonBody, parsePayload } from './parse-payload';

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
    const checked = checkJsonBody(headers, rawBody);
    if (!checked.ok) return checked;
    // The bytes go to the worker as they are: decoding them would hold this loop for milliseconds too.
    const normalised = await normaliser.normaliseJson(rawBody, maxDepth, context);
    return normalised.ok ? normalised : { ok: false, code: 'malformed', message: normalised.message };
  }
  const parsed = parsePayload(headers, rawBody, maxDepth);
  if (!parsed.ok) return parsed;
  return { ok: true, result: await normaliser.normalise(parsed.payload, context) };
}
