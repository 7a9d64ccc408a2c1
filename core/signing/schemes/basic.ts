import { firstMatch } from '../constant-time';
import { decodeBase64 } from '../encoding';
import type { Scheme, SchemeRequest } from '../scheme';
import { malformed, requireSignatureHeader } from '../signature-header';
import { VerificationFailure } from '../verification-failure';

const BASIC = /^Basic +(\S+)$/i;

/** HTTP Basic auth; each secret is `user:password` and the whole pair is compared. */
export const basic: Scheme = {
  requiresSecret: true,

  verify(request: SchemeRequest) {
    const presented = credentials(requireSignatureHeader(request.headers, 'Authorization'));
    const expected = request.secrets.map((secret) => Buffer.from(secret, 'utf8'));
    const secretIndex = firstMatch(expected, [presented]);
    if (secretIndex < 0) throw new VerificationFailure('invalid_signature', 'the Basic credentials do not match any live secret');
    return { secretIndex };
  },

  sign(secret) {
    return { Authorization: `Basic ${Buffer.from(secret, 'utf8').toString('base64')}` };
  },
};

function credentials(authorization: string): Buffer {
  const match = BASIC.exec(authorization);
  const decoded = match ? decodeBase64(match[1]) : undefined;
  if (decoded === undefined || !decoded.includes(':')) throw malformed('Authorization is not Basic base64(user:password)');
  return decoded;
}
