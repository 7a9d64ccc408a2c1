/**
 * Raised by an adapter when trying again cannot help (a body template that fails, a severity incident.io
 * does not have, a body over the receiver's size limit). The delivery goes straight to the dead letters;
 * fix the configuration and replay it. Any other error an adapter throws is retried.
 */
export class NonRetryableDeliveryError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NonRetryableDeliveryError';
  }
}
