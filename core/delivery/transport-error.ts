/** How sending failed before any HTTP answer arrived. */
/** `destination_refused`: the host policy forbids the destination (a private address, a denied host). */
export type TransportFailure = 'timeout' | 'connection_refused' | 'connection_reset' | 'connection_failed' | 'dns_failed' | 'tls_failed' | 'invalid_request' | 'destination_refused';

/** Raised by the HTTP transport when no response was received. */
export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** Everything except a request we could not build or may not send is worth another try: the receiver may be back later. */
export function isRetryableTransportFailure(failure: TransportFailure): boolean {
  return failure !== 'invalid_request' && failure !== 'destination_refused';
}
