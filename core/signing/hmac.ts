import { createHmac, type KeyObject } from 'node:crypto';

export const HMAC_SHA256_BYTES = 32;

export function hmacSha256(key: Buffer | string | KeyObject, content: Buffer): Buffer {
  return createHmac('sha256', key).update(content).digest();
}

/** `prefix` (UTF-8) followed by the raw body bytes, untouched. */
export function prefixedBody(prefix: string, rawBody: Buffer): Buffer {
  return Buffer.concat([Buffer.from(prefix, 'utf8'), rawBody]);
}
