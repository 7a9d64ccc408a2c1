/** Errors the core's operations raise for callers (host nodes, CLI) to show as they are. */

export class NotFoundError extends Error {
  constructor(readonly kind: string, readonly id: string) {
    super(`${kind} ${id} was not found`);
    this.name = 'NotFoundError';
  }
}

/** The record is no longer in the state the operation needs (e.g. an event already promoted by someone else). */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** The caller supplied something unusable (missing actor, bad classification). */
export class InvalidRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}
