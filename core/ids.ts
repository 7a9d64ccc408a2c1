import { randomBytes } from 'node:crypto';

export type IdKind = 'rcp' | 'evt' | 'inc' | 'evd' | 'rpt' | 'lce';

let lastMs = 0;
let sequence = 0;

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
  return `${kind}_${time}${order}${randomBytes(8).toString('hex')}`;
}
