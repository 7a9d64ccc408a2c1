import { randomFillSync } from 'node:crypto';

export type IdKind = 'rcp' | 'evt' | 'inc' | 'evd' | 'rpt' | 'lce';

let lastMs = 0;
let sequence = 0;

/** Random bytes drawn from the CSPRNG a few kilobytes at a time: one call per 512 ids instead of one per id. */
const POOL_BYTES = 8 * 512;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolOffset = POOL_BYTES;

function randomTail(): string {
  if (poolOffset === POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const tail = pool.toString('hex', poolOffset, poolOffset + 8);
  poolOffset += 8;
  return tail;
}

/**
 * A new id with a readable kind prefix, e.g. `evt_0mhb2k9x40000a1b2c3d4e5f6`. Ids sort by creation time
 * (milliseconds, then a per-process sequence), so records made in the same millisecond keep their order;
 * the random tail keeps ids from different processes apart.
 */
export function newId(kind: IdKind): string {
  const now = Date.now();
  sequence = now === lastMs ? sequence + 1 : 0;
  lastMs = now;
  const time = now.toString(36).padStart(9, '0');
  const order = (sequence % 36 ** 4).toString(36).padStart(4, '0');
  return `${kind}_${time}${order}${randomTail()}`;
}
