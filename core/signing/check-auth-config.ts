import type { AuthConfig } from './auth-config';
import { signRequest } from './sign-request';
import { verifyRequest } from './verify-request';

export type AuthCheck = { ok: true; message: string } | { ok: false; message: string };

const PROBE = Buffer.from('{"probe":true}', 'utf8');

/**
 * Checks that a source's auth settings can work at all: a live secret exists and each secret signs and
 * verifies a probe body with the scheme (catching, say, a Standard Webhooks secret that is not base64).
 * Messages never contain a secret.
 */
export function checkAuthConfig(auth: AuthConfig, now = new Date()): AuthCheck {
  if (auth.scheme === 'none') return { ok: true, message: 'no authentication: any request is accepted' };
  if (auth.secrets.length === 0) return { ok: false, message: `${auth.scheme}: no secret is configured` };
  if (auth.queryParam) return { ok: true, message: `${auth.scheme}: token read from query parameter ${auth.queryParam}` };
  for (const [index, secret] of auth.secrets.entries()) {
    const which = index === 0 ? 'the secret' : 'the previous secret';
    let headers: Record<string, string>;
    try {
      headers = signRequest(auth.scheme, secret.value, PROBE, { header: auth.header, timestampHeader: auth.timestampHeader, timestamp: Math.floor(now.getTime() / 1000) });
    } catch {
      return { ok: false, message: `${auth.scheme}: ${which} cannot be used with this scheme` };
    }
    const verified = verifyRequest({ ...auth, secrets: [{ value: secret.value }] }, { headers, rawBody: PROBE, now });
    if (!verified.ok) return { ok: false, message: `${auth.scheme}: ${which} does not work (${verified.code})` };
    if (secret.expiresAt !== undefined && secret.expiresAt <= now.getTime()) return { ok: false, message: `${auth.scheme}: ${which} has expired` };
  }
  return { ok: true, message: `${auth.scheme}: ${auth.secrets.length} secret(s) sign and verify` };
}
