import type { SchemeName } from './auth-config';
import type { SignOptions } from './scheme';
import { schemeFor } from './schemes/registry';

/** The headers a sender adds so that `verifyRequest` with the same scheme and secret accepts the body. */
export function signRequest(scheme: SchemeName, secret: string, rawBody: Buffer, options: SignOptions = {}): Record<string, string> {
  const signer = schemeFor(scheme);
  if (signer === undefined) throw new Error(`unsupported scheme: ${String(scheme)}`);
  if (signer.requiresSecret && secret === '') throw new Error(`${scheme}: the secret must not be empty`);
  return signer.sign(secret, rawBody, options);
}
