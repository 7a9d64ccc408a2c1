import { singleHeader, type HeaderBag } from '../http/headers';
import { VerificationFailure } from './verification-failure';

/** The single, non-empty value of a required signature header. */
export function requireSignatureHeader(headers: HeaderBag, name: string): string {
  const value = singleHeader(headers, name)?.trim();
  if (!value) throw new VerificationFailure('missing_signature', `header ${name} is missing`);
  return value;
}

export function malformed(what: string): VerificationFailure {
  return new VerificationFailure('malformed_signature', what);
}

export function noMatch(header: string): VerificationFailure {
  return new VerificationFailure('invalid_signature', `the signature in ${header} does not match any live secret`);
}
