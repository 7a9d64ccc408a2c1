import { firstMatch } from '../constant-time';
import type { Scheme, SchemeRequest } from '../scheme';
import { malformed, requireSignatureHeader } from '../signature-header';
import { VerificationFailure } from '../verification-failure';

const BEARER = /^Bearer +(\S+)$/i;

/** A shared token: `Authorization: Bearer <token>`, the raw value of a configured header, or a query parameter. */
export const token: Scheme = {
  requiresSecret: true,

  verify(request: SchemeRequest) {
    const presented = Buffer.from(presentedToken(request), 'utf8');
    const expected = request.secrets.map((secret) => Buffer.from(secret, 'utf8'));
    const secretIndex = firstMatch(expected, [presented]);
    if (secretIndex < 0) throw new VerificationFailure('invalid_signature', 'the token does not match any live secret');
    return { secretIndex };
  },

  sign(secret, _rawBody, options) {
    return options.header ? { [options.header]: secret } : { Authorization: `Bearer ${secret}` };
  },
};

function presentedToken(request: SchemeRequest): string {
  const { queryParam, header } = request.config;
  if (queryParam) return queryToken(request, queryParam);
  if (header) return requireSignatureHeader(request.headers, header);
  const authorization = requireSignatureHeader(request.headers, 'Authorization');
  const bearer = BEARER.exec(authorization);
  if (!bearer) throw malformed('Authorization is not Bearer <token>');
  return bearer[1];
}

function queryToken(request: SchemeRequest, name: string): string {
  const value = request.query[name];
  if (Array.isArray(value) && value.length > 1) {
    throw new VerificationFailure('duplicate_header', `query parameter ${name} was given more than once`);
  }
  const single = Array.isArray(value) ? value[0] : value;
  if (!single) throw new VerificationFailure('missing_signature', `query parameter ${name} is missing`);
  return single;
}
