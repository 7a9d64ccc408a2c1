import { createHash } from 'node:crypto';

/**
 * What intake stores to refuse a replay: the sender's message id when there is one; otherwise a digest
 * of the content the signature authenticated (not of the header text, which can be reordered or padded
 * with extra entries and still verify); otherwise a digest of the body.
 */
export function replayKeyFor(messageId: string | undefined, signedContent: Buffer | undefined, rawBody: Buffer): string {
  if (messageId !== undefined) return `id:${messageId}`;
  if (signedContent !== undefined) return `sig:${sha256Hex(signedContent)}`;
  return `body:${sha256Hex(rawBody)}`;
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
