import { StoreUnavailableError } from '../store-errors';

/** SQLSTATEs after which running the whole unit of work again is safe and likely to succeed. */
const RETRYABLE_STATES = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/** Server states that mean "not reachable now" rather than "this statement is wrong". */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']); // shutdowns, starting up, too many connections

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOENT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Errors node-postgres raises itself, without a code, when the connection is gone or cannot be made. */
const DRIVER_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|connection timeout/i;

export function isRetryable(error: unknown): boolean {
  return RETRYABLE_STATES.has(codeOf(error) ?? '');
}

export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (error instanceof AggregateError && error.errors.some(isConnectionFailure)) return true;
  const code = codeOf(error);
  if (code && (code.startsWith('08') || UNAVAILABLE_STATES.has(code) || SOCKET_CODES.has(code))) return true;
  return error instanceof Error && !code && DRIVER_MESSAGES.test(error.message);
}

/** Connection failures become {@link StoreUnavailableError}; everything else passes through unchanged. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isConnectionFailure(error)) return error;
  const detail = error instanceof Error && error.message ? error.message : codeOf(error) ?? String(error);
  return new StoreUnavailableError(`the PostgreSQL store is unavailable: ${detail}`, { cause: error });
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
