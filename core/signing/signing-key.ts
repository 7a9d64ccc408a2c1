import { createSecretKey, type KeyObject } from 'node:crypto';
import { decodeStandardWebhookSecret } from './standard-webhook-secret';

/** Secrets whose keys are kept; a worker signs for a few destinations, so this is never reached in practice. */
const MAX_KEYS = 64;
const keys = new Map<string, KeyObject>();

/**
 * The HMAC key a Standard Webhooks secret stands for, as a KeyObject made once per secret: building the key
 * for every message costs more than the HMAC of a small body. Undefined for a secret that is not one.
 */
export function standardWebhookSigningKey(secret: string): KeyObject | undefined {
  const known = keys.get(secret);
  if (known) return known;
  const bytes = decodeStandardWebhookSecret(secret);
  if (bytes === undefined) return undefined;
  if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value!);
  const key = createSecretKey(bytes);
  keys.set(secret, key);
  return key;
}
