import { singleHeader } from '../../http/headers';
import { decodeHex } from '../encoding';
import { HMAC_SHA256_BYTES, hmacSha256 } from '../hmac';
import { requireHmacMatch } from '../hmac-match';
import type { Scheme, SchemeRequest } from '../scheme';
import { malformed } from '../signature-header';
import { VerificationFailure } from '../verification-failure';

// GitHub sends `-256`; Jira Cloud sends the same `sha256=` value without it.
const DEFAULT_HEADERS = ['X-Hub-Signature-256', 'X-Hub-Signature'];

/** `sha256=<hex>` over the raw body (GitHub, Jira Cloud admin webhooks). */
export const hubSha256: Scheme = {
  requiresSecret: true,

  verify(request: SchemeRequest) {
    const names = request.config.header ? [request.config.header] : DEFAULT_HEADERS;
    const values = names.map((name) => singleHeader(request.headers, name)?.trim()).filter((value): value is string => !!value);
    if (values.length === 0) throw new VerificationFailure('missing_signature', `header ${names.join(' or ')} is missing`);
    const headerLabel = names.join(' / ');
    const signatures = values.flatMap((value) => parseSignature(value, headerLabel));
    if (signatures.length === 0) throw malformed(`${headerLabel} has no sha256= signature`);
    const secretIndex = requireHmacMatch(request.secrets, request.rawBody, signatures, headerLabel);
    return { signedContent: request.rawBody, secretIndex };
  },

  sign(secret, rawBody, options) {
    return { [options.header ?? DEFAULT_HEADERS[0]]: `sha256=${hmacSha256(secret, rawBody).toString('hex')}` };
  },
};

/** The sha256 signature in one header value; GitHub's legacy `sha1=` in X-Hub-Signature is ignored. */
function parseSignature(value: string, headerLabel: string): Buffer[] {
  const equals = value.indexOf('=');
  if (equals <= 0) throw malformed(`${headerLabel} is not <algorithm>=<hex>`);
  const algorithm = value.slice(0, equals).toLowerCase();
  if (algorithm !== 'sha256') return [];
  const signature = decodeHex(value.slice(equals + 1));
  if (signature?.length !== HMAC_SHA256_BYTES) throw malformed(`${headerLabel} has a sha256= that is not a hex HMAC-SHA256`);
  return [signature];
}
