import type { Readable } from 'node:stream';

export type CappedBody =
  | { ok: true; body: Buffer }
  | { ok: false; code: 'payload_too_large'; message: string }
  | { ok: false; code: 'request_timeout'; message: string }
  | { ok: false; code: 'malformed'; message: string };

export interface ReadCapOptions {
  maxBytes: number;
  /** The request's Content-Length header, when it sent one. */
  declaredLength?: string | undefined;
  /** Give up on senders that drip bytes slower than this allows. */
  timeoutMs?: number;
}

/**
 * Reads a request body but never buffers more than `maxBytes`: a declared Content-Length over the cap is
 * refused before reading, and a chunked body is refused the moment it crosses the cap. On refusal the
 * stream is paused, not drained; the caller answers and closes the connection.
 */
export function readCappedBody(stream: Readable, options: ReadCapOptions): Promise<CappedBody> {
  const tooLarge: CappedBody = { ok: false, code: 'payload_too_large', message: `the request body exceeds ${options.maxBytes} bytes` };
  if (options.declaredLength !== undefined) {
    const declared = Number(options.declaredLength);
    if (!Number.isSafeInteger(declared) || declared < 0) return Promise.resolve({ ok: false, code: 'malformed', message: 'invalid Content-Length' });
    if (declared > options.maxBytes) return Promise.resolve(tooLarge);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const timer = setTimeout(() => finish({ ok: false, code: 'request_timeout', message: `the request body did not arrive within ${timeoutMs} ms` }), timeoutMs);
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > options.maxBytes) return finish(tooLarge);
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, received) });
    const onError = (error: Error) => finish({ ok: false, code: 'malformed', message: `the request body could not be read: ${error.message}` });
    const onAborted = () => finish({ ok: false, code: 'malformed', message: 'the sender closed the connection before the body ended' });
    function finish(result: CappedBody) {
      clearTimeout(timer);
      stream.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      if (!result.ok) stream.pause();
      resolve(result);
    }
    stream.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
}
