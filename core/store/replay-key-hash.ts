import { createHash } from 'node:crypto';

/** Bytes of SHA-256 kept per replay key: 128 bits make an accidental collision among 10^12 keys about 10^-15 likely. */
export const REPLAY_KEY_HASH_BYTES = 16;

/**
 * The replay-key table's primary key: a digest of tenant, source and the key, so that one short fixed-size
 * value identifies the request and nothing of the body (or of a long id header) is stored.
 */
export function replayKeyHash(tenant: string, sourceId: string, replayKey: string): Buffer {
  return createHash('sha256').update(`${tenant}\u0000${sourceId}\u0000${replayKey}`).digest().subarray(0, REPLAY_KEY_HASH_BYTES);
}
