import { createHash } from 'node:crypto';

/** Digests already computed, per body buffer: verification and the receipt both need the body's SHA-256. */
const digests = new WeakMap<Buffer, string>();

/** The hex SHA-256 of a request body, computed once per buffer however many steps ask for it. */
export function bodySha256(body: Buffer): string {
  let digest = digests.get(body);
  if (digest === undefined) {
    digest = createHash('sha256').update(body).digest('hex');
    digests.set(body, digest);
  }
  return digest;
}
