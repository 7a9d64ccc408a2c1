import { randomUUID } from 'node:crypto';

export type IdKind = 'rcp' | 'evt' | 'inc' | 'evd';

/** A new id with a readable kind prefix, e.g. `evt_3f2b…`. */
export function newId(kind: IdKind): string {
  return `${kind}_${randomUUID().replaceAll('-', '')}`;
}
