import type { Request } from 'express';

type N8nRequest = Request & { rawBody?: Buffer; readRawBody?: () => Promise<void> };

/** The exact bytes the sender sent (n8n has already undone gzip/deflate); read on demand when n8n did not parse the body. */
export async function readRawBody(request: Request): Promise<Buffer> {
  const n8nRequest = request as N8nRequest;
  if (!n8nRequest.rawBody && n8nRequest.readRawBody) await n8nRequest.readRawBody();
  return n8nRequest.rawBody ?? Buffer.alloc(0);
}
