import { outcome, type IntakeOutcome } from '../intake/outcome';

/**
 * The intake never decompresses (Node-RED, n8n's trigger and the demo server all hand us the raw request):
 * the signature covers the bytes as sent, and inflating under a cap would only move the bomb. A body in any
 * Content-Encoding other than identity is refused before it is read.
 */
export function refusedContentEncoding(value: string | string[] | undefined): IntakeOutcome | undefined {
  if (value === undefined) return undefined;
  const codings = (Array.isArray(value) ? value : [value])
    .flatMap((entry) => entry.split(','))
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return undefined;
  return outcome('unsupported_media_type', `Content-Encoding ${codings.join(', ').slice(0, 60)} is not accepted: send the JSON body uncompressed`);
}
