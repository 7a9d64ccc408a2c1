import { randomBytes } from 'node:crypto';
import type { SchemeName } from './auth-config';
import { signRequest } from './sign-request';
import { decodeStandardWebhookSecret, generateStandardWebhookSecret } from './standard-webhook-secret';
import { verifyRequest } from './verify-request';

/** The Standard Webhooks specification's bounds for the key behind `whsec_`. */
const WHSEC_MIN_BYTES = 24;
const WHSEC_MAX_BYTES = 64;
/** Shortest shared secret or token accepted as a new secret: 128 bits of hex, base64url or printable text. */
const MIN_SHARED_CHARS = 16;
const MIN_PASSWORD_CHARS = 12;
const MAX_SECRET_CHARS = 1024;
// Printable ASCII without spaces: every sender UI, header and Bearer token takes it as typed.
const PRINTABLE = /^[\x21-\x7e]+$/;

/**
 * A fresh secret in the form the scheme's senders expect: `whsec_` + base64 of 32 random bytes for Standard
 * Webhooks, `whsec_` + hex for Stripe-style, 64 hex characters for the HMAC schemes (any sender UI accepts
 * them), a base64url token, and `intake:` + a random password for Basic.
 */
export function generateSecret(scheme: SchemeName): string {
  switch (scheme) {
    case 'standard-webhooks':
      return generateStandardWebhookSecret();
    case 'stripe':
      return `whsec_${randomBytes(32).toString('hex')}`;
    case 'token':
      return randomBytes(32).toString('base64url');
    case 'basic':
      return `intake:${randomBytes(24).toString('base64url')}`;
    case 'none':
      throw new RangeError('scheme none has no secret to rotate');
    default:
      return randomBytes(32).toString('hex');
  }
}

/**
 * Why `secret` cannot be a source's new secret under `scheme`, or undefined when it can. The reason never
 * quotes the secret. Checks the form the scheme needs, a minimum strength, and that it signs and verifies.
 */
export function newSecretProblem(scheme: SchemeName, secret: unknown): string | undefined {
  if (scheme === 'none') return 'scheme none has no secret to rotate';
  if (typeof secret !== 'string' || secret === '') return 'the new secret is empty';
  if (secret.length > MAX_SECRET_CHARS) return `the new secret is longer than ${MAX_SECRET_CHARS} characters`;
  if (!PRINTABLE.test(secret)) return 'the new secret contains spaces or characters that are not printable ASCII';
  const formProblem = formProblemOf(scheme, secret);
  if (formProblem) return formProblem;
  return probeProblem(scheme, secret);
}

function formProblemOf(scheme: SchemeName, secret: string): string | undefined {
  if (scheme === 'standard-webhooks') {
    const key = secret.startsWith('whsec_') ? decodeStandardWebhookSecret(secret) : undefined;
    if (key === undefined) return 'a Standard Webhooks secret is whsec_ followed by base64';
    if (key.length < WHSEC_MIN_BYTES || key.length > WHSEC_MAX_BYTES) return `a Standard Webhooks key is ${WHSEC_MIN_BYTES} to ${WHSEC_MAX_BYTES} bytes (this one is ${key.length})`;
    return undefined;
  }
  if (scheme === 'basic') {
    const colon = secret.indexOf(':');
    if (colon <= 0) return 'a Basic secret is user:password';
    if (secret.length - colon - 1 < MIN_PASSWORD_CHARS) return `the Basic password must be at least ${MIN_PASSWORD_CHARS} characters`;
    return undefined;
  }
  return secret.length < MIN_SHARED_CHARS ? `the new secret must be at least ${MIN_SHARED_CHARS} characters` : undefined;
}

/** Signs and verifies a probe with the secret alone, so a secret the scheme cannot use is refused now. */
function probeProblem(scheme: SchemeName, secret: string): string | undefined {
  const probe = Buffer.from('{"rotation":"probe"}');
  const now = new Date();
  try {
    const headers = signRequest(scheme, secret, probe, { timestamp: Math.floor(now.getTime() / 1000) });
    const verified = verifyRequest({ scheme, secrets: [{ value: secret }] }, { headers, rawBody: probe, now });
    return verified.ok ? undefined : `the new secret does not verify with ${scheme} (${verified.code})`;
  } catch {
    return `the new secret cannot be used with ${scheme}`;
  }
}
