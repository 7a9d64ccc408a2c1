import { isSecretLookingHeader, urlCarriesSecret } from '../secrets/secret-looks';

/** Raised for a secret-headers text that does not parse; its message never quotes the text (it holds secrets). */
export class SecretHeadersError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretHeadersError';
  }
}

/**
 * The headers a credential field holds, as a JSON object of header names to values (each value a secret or a
 * reference such as `Bearer env:TOKEN`). Empty text: none.
 */
export function secretHeadersFrom(text: string | undefined): Record<string, string> {
  if (!text?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SecretHeadersError('secret headers are not valid JSON: give an object such as {"Authorization": "Bearer env:RECEIVER_TOKEN"} (the text is not shown: it holds secrets)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SecretHeadersError('secret headers must be a JSON object of header names to values');
  const entries = Object.entries(parsed);
  const notText = entries.filter(([, value]) => typeof value !== 'string').map(([name]) => name);
  if (notText.length > 0) throw new SecretHeadersError(`secret headers ${notText.join(', ')}: each value must be a string`);
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * Warnings for secrets typed into plain, exported fields: credential headers with a literal value, values
 * shaped like credentials, URLs with a password or a credential in the query. Names the field, never the value.
 * Such settings keep working; they are reported on every start so they get moved.
 */
export function exposedSecretWarnings(plain: { headers?: Record<string, string>; url?: string }, fix: string): string[] {
  const warnings = Object.entries(plain.headers ?? {})
    .filter(([name, value]) => isSecretLookingHeader(name, value))
    .map(([name]) => `header ${name} looks like it carries a secret in a plain field, which is saved as it is and goes into every export: ${fix}`);
  if (plain.url && urlCarriesSecret(plain.url)) warnings.push(`the URL carries a credential (user info or query) in a plain field, which is saved as it is and goes into every export: ${fix}`);
  return warnings;
}
