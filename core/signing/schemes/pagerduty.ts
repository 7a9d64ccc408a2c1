import { decodeHex } from '../encoding';
import { HMAC_SHA256_BYTES, hmacSha256 } from '../hmac';
import { requireHmacMatch } from '../hmac-match';
import type { Scheme, SchemeRequest } from '../scheme';
import { malformed, requireSignatureHeader } from '../signature-header';

const HEADER = 'X-PagerDuty-Signature';

/** PagerDuty v3: `v1=<hex>[,v1=<hex>]` over the raw body; several entries while PagerDuty rotates. */
export const pagerduty: Scheme = {
  requiresSecret: true,

  verify(request: SchemeRequest) {
    const signatures = parseSignatures(requireSignatureHeader(request.headers, HEADER));
    const secretIndex = requireHmacMatch(request.secrets, request.rawBody, signatures, HEADER);
    return { signedContent: request.rawBody, secretIndex };
  },

  sign(secret, rawBody) {
    return { [HEADER]: `v1=${hmacSha256(secret, rawBody).toString('hex')}` };
  },
};

function parseSignatures(header: string): Buffer[] {
  const signatures: Buffer[] = [];
  for (const entry of header.split(',').map((part) => part.trim())) {
    const equals = entry.indexOf('=');
    if (equals <= 0) throw malformed(`${HEADER} has an entry that is not <version>=<signature>`);
    if (entry.slice(0, equals) !== 'v1') continue;
    const signature = decodeHex(entry.slice(equals + 1));
    if (signature?.length !== HMAC_SHA256_BYTES) throw malformed(`${HEADER} has a v1= that is not a hex HMAC-SHA256`);
    signatures.push(signature);
  }
  if (signatures.length === 0) throw malformed(`${HEADER} has no v1= signature`);
  return signatures;
}
