import type { SecretEntry } from './auth-config';

export function isLive(secret: SecretEntry, now: Date): boolean {
  return secret.expiresAt === undefined || secret.expiresAt > now.getTime();
}

/**
 * The name under which a secret is reported: its own label, else its place in the source's list — the first is
 * the current secret, the ones after it are the previous secrets still in their grace period.
 */
export function secretLabel(secret: SecretEntry, position: number): string {
  if (secret.label) return secret.label;
  return position <= 0 ? 'current' : position === 1 ? 'previous' : `previous-${position}`;
}

export function liveSecrets(secrets: SecretEntry[], now: Date): SecretEntry[] {
  return secrets.filter((secret) => isLive(secret, now));
}

/**
 * Puts `newSecret` first. Old live secrets stay valid for `graceSeconds` (never longer than they already
 * were), or are dropped at once when the grace is 0; expired ones are pruned.
 */
export function rotateSecrets(
  current: SecretEntry[],
  newSecret: string,
  options: { graceSeconds: number; now: Date },
): SecretEntry[] {
  const { graceSeconds, now } = options;
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
    throw new RangeError('graceSeconds must be a non-negative number');
  }
  if (newSecret === '') throw new RangeError('the new secret must not be empty');
  const graceEndsAt = now.getTime() + graceSeconds * 1000;
  const retiring =
    graceSeconds === 0
      ? []
      : liveSecrets(current, now)
          .filter((secret) => secret.value !== newSecret)
          .map((secret) => ({ value: secret.value, expiresAt: Math.min(secret.expiresAt ?? Infinity, graceEndsAt) }));
  return [{ value: newSecret }, ...retiring];
}
