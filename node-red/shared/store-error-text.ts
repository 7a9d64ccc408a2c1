import type { IntakeStoreNode } from './intake-store-settings';

type RedactingStore = Pick<IntakeStoreNode, 'redact'> | null | undefined;

/** An error's message as a node may log, show or send it: without the store's secrets (a driver may echo its URL). */
export function storeErrorText(error: unknown, store: RedactingStore): string {
  const message = error instanceof Error ? error.message : String(error);
  return store ? store.redact(message) : message;
}

/**
 * The error to hand to Node-RED (`done(error)`, a rejected close), which logs it and passes message and stack to
 * catch nodes: a new error when the message held a store secret (the old stack repeats the message).
 */
export function redactedStoreError(error: unknown, store: RedactingStore): Error {
  const message = storeErrorText(error, store);
  if (error instanceof Error && error.message === message) return error;
  const redacted = new Error(message);
  if (error instanceof Error) redacted.name = error.name;
  return redacted;
}

/** The same work, failing with the store's secrets taken out of its error. */
export function redacting<T>(work: Promise<T>, store: RedactingStore): Promise<T> {
  return work.catch((error: unknown) => {
    throw redactedStoreError(error, store);
  });
}
