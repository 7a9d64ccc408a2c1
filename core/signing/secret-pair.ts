import type { SecretEntry } from './auth-config';

/**
 * The secrets of a source configured as hosts' credential forms hold them: the current secret and, during a
 * rotation, the previous one with the end of its grace period (ISO time; empty means no end yet).
 */
export function secretPair(current: string | undefined, previous?: string, previousValidUntil?: string): SecretEntry[] {
  const secrets: SecretEntry[] = [];
  if (current?.trim()) secrets.push({ value: current.trim() });
  const until = previousValidUntil?.trim();
  if (previous?.trim()) {
    const expiresAt = until ? Date.parse(until) : undefined;
    if (expiresAt !== undefined && Number.isNaN(expiresAt)) throw new RangeError(`previous secret validity "${until}" is not a date`);
    secrets.push(expiresAt === undefined ? { value: previous.trim() } : { value: previous.trim(), expiresAt });
  }
  return secrets;
}
