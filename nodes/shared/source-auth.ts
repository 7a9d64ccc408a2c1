import type { SourceDefinitionInput } from '../../core/intake/define-source';
import { resolveSecretSync } from '../../core/secrets/resolve-secret';
import { secretPair } from '../../core/signing/secret-pair';

/** The fields of the Incident Intake Source Auth credential. */
export interface SourceAuthCredential {
  scheme?: string;
  secret?: string;
  previousSecret?: string;
  previousSecretExpiresAt?: string;
  header?: string;
  timestampHeader?: string;
  queryParam?: string;
  toleranceSeconds?: number;
  /** How long a replaced secret stays live once the Secret field changes (store-kept rotation); 0 ends it at once. */
  rotationGraceHours?: number;
}

/** The credential's grace for a replaced secret, in seconds (24 hours when the field is unset). */
export function rotationGraceSeconds(credential: SourceAuthCredential): number {
  const hours = credential.rotationGraceHours ?? 24;
  return Math.round((Number.isFinite(hours) && hours > 0 ? hours : 0) * 3600);
}

/** A trimmed text field, or undefined when empty. */
export const text = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** A secret field holding a reference (`env:NAME`, `file:/path`) is read on every request's configuration read. */
const resolved = (value: string | undefined) => (value?.trim() ? resolveSecretSync(value) : value);

/** The credential as the core's `auth` block; empty optional fields are left out so defaults apply. */
export function authInput(credential: SourceAuthCredential): SourceDefinitionInput['auth'] {
  const scheme = (text(credential.scheme) ?? 'standard-webhooks') as NonNullable<SourceDefinitionInput['auth']>['scheme'];
  return {
    scheme,
    secrets: scheme === 'none' ? [] : secretPair(resolved(credential.secret), resolved(credential.previousSecret), credential.previousSecretExpiresAt),
    ...(text(credential.header) && { header: text(credential.header) }),
    ...(text(credential.timestampHeader) && { timestampHeader: text(credential.timestampHeader) }),
    ...(text(credential.queryParam) && { queryParam: text(credential.queryParam) }),
    ...(credential.toleranceSeconds ? { toleranceSeconds: credential.toleranceSeconds } : {}),
  };
}
