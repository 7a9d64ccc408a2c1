import { secretForms } from './secret-forms';

export const REDACTED = '[redacted]';

/** Header and JSON key names whose values are credentials wherever they appear. */
const SENSITIVE_NAME = /authorization|cookie|token|secret|password|passwd|api[-_]?key|signature|credential|session/i;

/** Credential shapes recognisable without knowing the secret. */
const CREDENTIAL_PATTERNS: readonly RegExp[] = [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, /\bwhsec_[A-Za-z0-9+/=]+/g, /\bwhsk_[A-Za-z0-9+/=]+/g];

/** Secrets shorter than this are not searched for in text: a 2-character "secret" would shred every message. */
const MIN_SECRET_LENGTH = 6;

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/** Replaces every known secret (also hex- or base64-encoded) and every recognisable credential in a piece of text. */
export function redactText(text: string, secrets: readonly string[]): string {
  if (text === '') return text;
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretForms(secret)) redacted = redacted.split(form).join(REDACTED);
  }
  for (const pattern of CREDENTIAL_PATTERNS) {
    redacted = redacted.replace(pattern, (match, scheme: string | undefined) => (typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED));
  }
  return redacted;
}

/** A JSON value with sensitive keys blanked and secrets removed from every string. */
export function redactJson(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, secrets));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, isSensitiveName(key) && item !== null ? REDACTED : redactJson(item, secrets)]),
  );
}

/** A URL safe to show: no user info, every query value blanked. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const key of [...parsed.searchParams.keys()]) parsed.searchParams.set(key, REDACTED);
    return parsed.toString();
  } catch {
    return REDACTED;
  }
}
