import { isSecretReference, parseHeaderReference } from './secret-reference';

/** Header names whose values are credentials. */
const CREDENTIAL_HEADER_NAME = /authorization|cookie|token|secret|password|passwd|api[-_]?key|signature|credential|session|auth/i;

/** Shapes of well-known credentials, recognisable without knowing the secret. */
const CREDENTIAL_SHAPES: readonly RegExp[] = [
  /^\s*(bearer|basic|token)\s+\S{4,}/i,
  /\bwhsec_[A-Za-z0-9+/=]{8,}/,
  /\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]{8,}/,
  /\bxox[abposr]-[A-Za-z0-9-]{8,}/,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/,
  /\bglpat-[A-Za-z0-9_-]{16,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

/** A long run of letters and digits (both), as API keys and tokens are. */
const TOKEN_LIKE = /^[A-Za-z0-9+/=_.~-]{24,}$/;

/** ULIDs (incident.io ids) and UUIDs are such runs too, but identifiers, not secrets. */
const IDENTIFIER = /^([0-9A-HJKMNP-TV-Z]{26}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function isCredentialHeaderName(name: string): boolean {
  return CREDENTIAL_HEADER_NAME.test(name);
}

/** Whether a literal text looks like a secret value (a known credential shape, or a long token). */
export function looksLikeSecretValue(value: string): boolean {
  if (parseHeaderReference(value)) return false;
  if (CREDENTIAL_SHAPES.some((shape) => shape.test(value))) return true;
  const trimmed = value.trim();
  return TOKEN_LIKE.test(trimmed) && !IDENTIFIER.test(trimmed) && /[0-9]/.test(trimmed) && /[A-Za-z]/.test(trimmed);
}

/**
 * A plain (exported) header that carries a secret: a credential header name with a literal value, or any
 * value shaped like a credential. A reference (`env:NAME`, `Bearer file:/path`) is not a secret.
 */
export function isSecretLookingHeader(name: string, value: string): boolean {
  if (parseHeaderReference(value)) return false;
  if (value.trim() === '') return false;
  return isCredentialHeaderName(name) || looksLikeSecretValue(value);
}

/** A URL whose user info or query carries a literal credential. */
export function urlCarriesSecret(text: string): boolean {
  if (isSecretReference(text)) return false;
  try {
    const url = new URL(text);
    if (url.password !== '') return true;
    return [...url.searchParams].some(([name, value]) => value !== '' && (isCredentialHeaderName(name) || /^(key|sig|code|hash)$/i.test(name) || looksLikeSecretValue(value)));
  } catch {
    return false;
  }
}
