import { isDeepStrictEqual } from 'node:util';
import type { SecretSources } from '../../secrets';
import { SecretResolutionError } from '../../secrets/secret-resolution-error';
import { isSecretReference } from '../../secrets/secret-reference';
import { classifyError } from '../classify-error';
import { destinationSecrets, type DestinationConfig } from '../destination-config';
import { redactText } from '../redact';
import { ResolvedSecretInvalidError, validatedResolution, withSecretValues } from '../resolve-destination-secrets';
import type { AttemptReport, DeliveryAdapter, DeliveryJob } from './adapter';

interface Resolved {
  /** The values as read, before validation: the key for reusing this adapter. */
  values: DestinationConfig;
  config: DestinationConfig;
  adapter: DeliveryAdapter;
  secrets: readonly string[];
}

/** The reason an attempt records when a referenced secret could not be read: retried, as the file may appear. */
export const SECRET_UNAVAILABLE = 'secret_unavailable';

/**
 * A destination whose secrets are references (`env:NAME`, `file:/path`): every attempt reads them again, so a
 * rotated mounted secret is used at once. The adapter for the resolved config is kept while the secrets stay
 * the same (it holds lookups such as incident.io severities). A reference that gives nothing fails the
 * attempt as retryable with a reason that names the reference, never a value.
 */
export class ResolvingAdapter implements DeliveryAdapter {
  private current?: Resolved;

  constructor(
    private readonly destination: DestinationConfig,
    private readonly adapterFor: (resolved: DestinationConfig) => DeliveryAdapter,
    private readonly sources: SecretSources = {},
  ) {}

  async deliver(job: DeliveryJob): Promise<AttemptReport> {
    let resolved: Resolved;
    try {
      resolved = this.adapterOf(await withSecretValues(this.destination, this.sources));
    } catch (error) {
      if (!(error instanceof SecretResolutionError) && !(error instanceof ResolvedSecretInvalidError)) throw error;
      return { classification: { outcome: 'retry', reason: SECRET_UNAVAILABLE }, httpStatus: null, response: null, error: error.message };
    }
    try {
      return await resolved.adapter.deliver(job);
    } catch (error) {
      // Redacted here, with the resolved secrets: the worker only knows the references.
      const message = error instanceof Error ? error.message : String(error);
      return { classification: classifyError(error), httpStatus: null, response: null, error: redactText(message, resolved.secrets).slice(0, 500) };
    }
  }

  private adapterOf(values: DestinationConfig): Resolved {
    if (this.current && isDeepStrictEqual(this.current.values, values)) return this.current;
    const config = validatedResolution(this.destination, values);
    const referencedUrl = config.kind === 'webhook' && this.destination.kind === 'webhook' && isSecretReference(this.destination.url) ? [config.url] : [];
    this.current = { values, config, adapter: this.adapterFor(config), secrets: [...destinationSecrets(config), ...referencedUrl] };
    return this.current;
  }
}
