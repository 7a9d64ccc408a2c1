import type { TimeCursor } from '../store/repositories/console-repository';
import { HttpError } from './http';

/** A keyset cursor as it travels in links: opaque, base64url of `[time, id]`. */
export function encodeCursor(cursor: TimeCursor | undefined): string | undefined {
  return cursor ? Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url') : undefined;
}

export function decodeCursor(text: string | null | undefined): TimeCursor | undefined {
  if (!text) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'number' && Number.isFinite(at) && typeof id === 'string' && id.length <= 200) return { at, id };
  } catch {
    // falls through to the error below
  }
  throw new HttpError(400, 'the page cursor is not valid; start again from the first page');
}

/** Reads one row more than the page holds, to know whether there is a next page without counting. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => TimeCursor): { items: T[]; next: string | undefined } {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? encodeCursor(cursorOf(items[items.length - 1]!)) : undefined };
}

export function pageLimit(text: string | null | undefined, fallback: number, max = 200): number {
  const value = Number(text);
  return Number.isInteger(value) && value >= 1 ? Math.min(value, max) : fallback;
}
