import type { IncomingMessage } from 'node:http';
import type { CappedBody } from '../../core/limits/read-capped-body';

/** n8n's request: its rawBodyReader middleware adds `rawBody` once something has read the body. */
export type N8nRequest = IncomingMessage & { rawBody?: Buffer };

export const n8nRequest = (request: unknown) => request as N8nRequest;

/**
 * The body when n8n has already read it, or undefined when the stream is untouched (the normal case: the
 * trigger's hidden `options.binaryData` makes n8n skip its body parsing) and the trigger reads it itself.
 *
 * n8n reads it first only for a node saved with its own `options` value (tenant and name lived there in
 * 0.1.0): then n8n has inflated gzip/deflate and parsed JSON under its own 16 MB limit, and the bytes it
 * kept are checked against the source's cap here. A body its form parser consumed (multipart) is gone.
 */
export function bodyReadByN8n(request: N8nRequest, maxBytes: number): Promise<CappedBody> | undefined {
  if (Buffer.isBuffer(request.rawBody)) {
    if (request.rawBody.length > maxBytes) return Promise.resolve({ ok: false, code: 'payload_too_large', message: `the request body exceeds ${maxBytes} bytes` });
    return Promise.resolve({ ok: true, body: request.rawBody });
  }
  if (request.readableEnded) return Promise.resolve({ ok: true, body: Buffer.alloc(0) });
  return undefined;
}
