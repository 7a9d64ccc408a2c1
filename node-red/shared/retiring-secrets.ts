import type { SecretEntry } from '../../core/signing';

/**
 * The secrets a rotation replaced that are still in their grace period, as the intake source's `retiringSecrets`
 * credential holds them (JSON, in Node-RED's credential store like the secret itself).
 */
export function parseRetiringSecrets(text: string | undefined): SecretEntry[] {
  if (!text?.trim()) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message would quote the text, which is secret.
    throw new Error('the replaced secrets kept for the grace period are not readable; rotate again');
  }
  if (!Array.isArray(parsed) || !parsed.every(isEntry)) throw new Error('the replaced secrets kept for the grace period are not readable; rotate again');
  return parsed.map(({ value, expiresAt }) => ({ value, expiresAt }));
}

export function retiringSecretsText(secrets: readonly SecretEntry[]): string {
  return JSON.stringify(secrets.map(({ value, expiresAt }) => ({ value, expiresAt })));
}

function isEntry(value: unknown): value is { value: string; expiresAt: number } {
  const entry = value as { value?: unknown; expiresAt?: unknown } | null;
  return typeof entry === 'object' && entry !== null && typeof entry.value === 'string' && entry.value !== '' && Number.isInteger(entry.expiresAt) && (entry.expiresAt as number) > 0;
}
