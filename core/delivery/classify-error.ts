import type { Classification } from './classification';
import { NonRetryableDeliveryError } from './non-retryable-error';
import { isRetryableTransportFailure, TransportError } from './transport-error';

/**
 * An attempt that got no HTTP answer: timeouts and connection failures are retried; a request that could not
 * be built, or an adapter's {@link NonRetryableDeliveryError}, is terminal; anything unexpected is retried.
 */
export function classifyError(error: unknown): Classification {
  if (error instanceof TransportError) {
    return { outcome: isRetryableTransportFailure(error.failure) ? 'retry' : 'terminal', reason: error.failure };
  }
  if (error instanceof NonRetryableDeliveryError) return { outcome: 'terminal', reason: error.reason };
  return { outcome: 'retry', reason: 'unexpected_error' };
}
