import { isDeepStrictEqual } from 'node:util';
import { parseHeaderReference, resolveHeaderValue, resolveSecret, isSecretReference, SecretResolutionError, type SecretSources } from '../secrets';
import { destinationSchema, type DestinationConfig } from './destination-config';

/** Whether any secret field of a destination is a reference (`env:NAME`, `file:/path`) rather than a value. */
export function hasSecretReferences(destination: DestinationConfig): boolean {
  if (destination.kind === 'webhook') {
    const signingRef = destination.signing.scheme !== 'none' && isSecretReference(destination.signing.secret);
    return signingRef || isSecretReference(destination.url) || Object.values(destination.headers).some((value) => parseHeaderReference(value) !== undefined);
  }
  return isSecretReference(destination.target === 'alert_event' ? destination.alertSourceToken : destination.apiKey);
}

async function inField<T>(field: string, resolve: () => Promise<T>): Promise<T> {
  try {
    return await resolve();
  } catch (error) {
    throw error instanceof SecretResolutionError ? error.inField(field) : error;
  }
}

/** A resolved value that does not fit its field; the message names the field and the reference's field only. */
export class ResolvedSecretInvalidError extends Error {
  constructor(readonly fields: string[]) {
    super(`${fields.join(', ')}: the referenced secret is not valid for this field`);
    this.name = 'ResolvedSecretInvalidError';
  }
}

/**
 * The destination with every reference replaced by the secret it names, read now and validated again (a
 * referenced Standard Webhooks secret must still be `whsec_…`). Throws {@link SecretResolutionError} or
 * {@link ResolvedSecretInvalidError}, neither of which carries a value. The result lives only in memory.
 */
export async function resolveDestinationSecrets(destination: DestinationConfig, sources: SecretSources = {}): Promise<DestinationConfig> {
  return validatedResolution(destination, await withSecretValues(destination, sources));
}

/** The resolved config, validated again (only needed when the values changed: validation compiles JSONata). */
export function validatedResolution(destination: DestinationConfig, resolved: DestinationConfig): DestinationConfig {
  if (isDeepStrictEqual(resolved, destination)) return destination;
  const parsed = destinationSchema.safeParse(resolved);
  if (!parsed.success) throw new ResolvedSecretInvalidError([...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))]);
  return parsed.data;
}

/** Every reference replaced by the secret it names, read now; not validated. Throws {@link SecretResolutionError}. */
export async function withSecretValues(destination: DestinationConfig, sources: SecretSources): Promise<DestinationConfig> {
  if (destination.kind === 'webhook') {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(destination.headers)) headers[name] = await inField(`headers.${name}`, () => resolveHeaderValue(value, sources));
    const url = await inField('url', () => resolveSecret(destination.url, sources));
    const signing = destination.signing.scheme === 'none' ? destination.signing : { ...destination.signing, secret: await inField('signing.secret', () => resolveSecret((destination.signing as { secret: string }).secret, sources)) };
    return { ...destination, url, headers, signing } as DestinationConfig;
  }
  if (destination.target === 'alert_event') {
    return { ...destination, alertSourceToken: await inField('alertSourceToken', () => resolveSecret(destination.alertSourceToken, sources)) };
  }
  return { ...destination, apiKey: await inField('apiKey', () => resolveSecret(destination.apiKey, sources)) };
}
