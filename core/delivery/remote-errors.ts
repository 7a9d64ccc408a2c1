/** One error a receiver reported, e.g. incident.io's `errors[]` entries. */
export interface RemoteError {
  code?: string;
  message: string;
  /** incident.io's `source.field`: which request field was wrong. */
  field?: string;
}

const MAX_ERRORS = 10;
const MAX_MESSAGE_CHARS = 300;

/** `{errors: [{code, message, source: {field}}]}` as incident.io (and JSON:API-style receivers) send it. */
export function remoteErrorsIn(json: unknown): RemoteError[] {
  if (typeof json !== 'object' || json === null) return [];
  const errors = (json as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.slice(0, MAX_ERRORS).flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { code, message, source } = entry as { code?: unknown; message?: unknown; source?: unknown };
    const field = typeof source === 'object' && source !== null ? (source as { field?: unknown }).field : undefined;
    const error: RemoteError = { message: typeof message === 'string' ? message.slice(0, MAX_MESSAGE_CHARS) : '' };
    if (typeof code === 'string') error.code = code;
    if (typeof field === 'string') error.field = field;
    return [error];
  });
}

/** `code: message (field)`, joined; for logs and `lastError`. */
export function describeRemoteErrors(errors: readonly RemoteError[]): string {
  return errors.map((error) => `${error.code ?? 'error'}: ${error.message}${error.field ? ` (${error.field})` : ''}`).join('; ');
}
