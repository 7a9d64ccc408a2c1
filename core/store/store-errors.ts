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

/**
 * A guarded write of a unit of work changed nothing: another unit of work changed the row between this one's
 * read and its write. The store runs the unit of work again from the start, where it reads the new state.
 */
export class ConcurrentWriteError extends Error {
  constructor(what: string) {
    super(`a concurrent write got there first (${what}); the unit of work is run again`);
    this.name = 'ConcurrentWriteError';
  }
}
