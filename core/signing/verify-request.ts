import { DuplicateHeaderError } from '../http/headers';
import type { AuthConfig } from './auth-config';
import { extractMessageId } from './message-id';
import { replayKeyFor } from './replay-key';
import type { SchemeAcceptance } from './scheme';
import { schemeFor } from './schemes/registry';
import { liveSecrets, secretLabel } from './secrets';
import { VerificationFailure } from './verification-failure';
import type { VerifyFailureCode, VerifyInput, VerifyResult } from './verify-result';

/**
 * Checks that a request comes from a holder of one of the live secrets. Synchronous, and returns a
 * failure rather than throwing for any bad input. Failure messages never contain a secret or a signature.
 */
export function verifyRequest(auth: AuthConfig, input: VerifyInput): VerifyResult {
  const scheme = schemeFor(auth?.scheme);
  if (scheme === undefined) return failure('unsupported_scheme', `scheme ${quoted(auth?.scheme)} is not supported`);
  const live = liveSecrets(auth.secrets ?? [], input.now);
  const secrets = live.map((secret) => secret.value);
  if (scheme.requiresSecret && secrets.length === 0) {
    return failure('no_live_secret', `${auth.scheme}: no live secret is configured (all expired or none given)`);
  }
  try {
    const request = { config: auth, secrets, headers: input.headers ?? {}, rawBody: input.rawBody, query: input.query ?? {}, now: input.now };
    const acceptance = scheme.verify(request);
    const matched = acceptance.secretIndex === undefined ? undefined : live[acceptance.secretIndex];
    return accepted(acceptance, input, matched && secretLabel(matched, auth.secrets.indexOf(matched)));
  } catch (error) {
    return failureFrom(error, auth.scheme);
  }
}

function accepted(acceptance: SchemeAcceptance, input: VerifyInput, secretLabel: string | undefined): VerifyResult {
  const messageId = acceptance.messageId ?? extractMessageId(input.headers ?? {});
  return {
    ok: true,
    ...(messageId !== undefined && { messageId }),
    replayKey: replayKeyFor(acceptance.messageId, acceptance.signedContent, input.rawBody),
    ...(acceptance.timestamp !== undefined && { timestamp: acceptance.timestamp }),
    ...(secretLabel !== undefined && { secretLabel }),
  };
}

function failureFrom(error: unknown, schemeName: string): VerifyResult {
  if (error instanceof VerificationFailure) return failure(error.code, `${schemeName}: ${error.message}`);
  if (error instanceof DuplicateHeaderError) {
    return failure('duplicate_header', `${schemeName}: header ${error.header} was sent more than once`);
  }
  throw error;
}

function quoted(schemeName: unknown): string {
  return typeof schemeName === 'string' ? JSON.stringify(schemeName.slice(0, 40)) : String(typeof schemeName);
}

function failure(code: VerifyFailureCode, message: string): VerifyResult {
  return { ok: false, code, message };
}
