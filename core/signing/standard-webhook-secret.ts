import { randomBytes } from 'node:crypto';
import { decodeBase64 } from './encoding';

const PREFIX = 'whsec_';

/** `whsec_` followed by the base64 of 32 random bytes. */
export function generateStandardWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The HMAC key a Standard Webhooks secret stands for; the `whsec_` prefix is optional. */
export function decodeStandardWebhookSecret(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const key = decodeBase64(encoded);
  return key !== undefined && key.length > 0 ? key : undefined;
}
