/**
 * The store cannot be reached right now (connection refused or lost, server shutting down, database locked
 * past the busy timeout). Nothing in the failed unit of work can be assumed committed or not; callers answer
 * "try again later" (the intake layer maps it to HTTP 503) rather than treating the request as bad.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
