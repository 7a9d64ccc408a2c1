import { decodeHex } from '../encoding';
import { HMAC_SHA256_BYTES, hmacSha256, prefixedBody } from '../hmac';
import { requireHmacMatch } from '../hmac-match';
import type { Scheme, SchemeRequest } from '../scheme';
import { malformed, requireSignatureHeader } from '../signature-header';
import { checkTolerance, currentUnixSeconds, parseUnixSeconds } from '../timestamp';
import { VerificationFailure } from '../verification-failure';

const DEFAULT_HEADER = 'Stripe-Signature';

interface StripeSignatureHeader {
  timestamp: number;
  signatures: Buffer[];
}

export const stripe: Scheme = {
  requiresSecret: true,

  verify(request: SchemeRequest) {
    const headerName = request.config.header ?? DEFAULT_HEADER;
    const parsed = parseHeader(requireSignatureHeader(request.headers, headerName), headerName);
    const content = signedContent(parsed.timestamp, request.rawBody);
    const secretIndex = requireHmacMatch(request.secrets, content, parsed.signatures, headerName);
    checkTolerance(parsed.timestamp, request.now, request.config);
    return { signedContent: content, timestamp: parsed.timestamp, secretIndex };
  },

  sign(secret, rawBody, options) {
    const timestamp = options.timestamp ?? currentUnixSeconds();
    const signature = hmacSha256(secret, signedContent(timestamp, rawBody)).toString('hex');
    return { [options.header ?? DEFAULT_HEADER]: `t=${timestamp},v1=${signature}` };
  },
};

function signedContent(timestamp: number, rawBody: Buffer): Buffer {
  return prefixedBody(`${timestamp}.`, rawBody);
}

/** `t=<unix>,v1=<hex>[,v1=<hex>…]`; other keys (`v0`, …) are ignored. */
function parseHeader(header: string, headerName: string): StripeSignatureHeader {
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const entry of header.split(',')) {
    const [key, value] = splitPair(entry.trim(), headerName);
    if (key === 't') {
      if (timestamp !== undefined) throw malformed(`${headerName} has more than one t=`);
      timestamp = parseUnixSeconds(value, `t= in ${headerName}`);
    } else if (key === 'v1') {
      const signature = decodeHex(value);
      if (signature?.length !== HMAC_SHA256_BYTES) throw malformed(`${headerName} has a v1= that is not a hex HMAC-SHA256`);
      signatures.push(signature);
    }
  }
  if (timestamp === undefined) throw new VerificationFailure('missing_timestamp', `${headerName} has no t=`);
  if (signatures.length === 0) throw malformed(`${headerName} has no v1= signature`);
  return { timestamp, signatures };
}

function splitPair(entry: string, headerName: string): [string, string] {
  const equals = entry.indexOf('=');
  if (equals <= 0) throw malformed(`${headerName} has an entry that is not key=value`);
  return [entry.slice(0, equals), entry.slice(equals + 1)];
}
