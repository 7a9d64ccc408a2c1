import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function digest(parts: readonly string[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

/**
 * Ids derived from what a node stands for, so rendering the same template twice gives the same files and a
 * re-import replaces nodes instead of duplicating them.
 */
export function stableHexId(...parts: string[]): string {
  return digest(parts).subarray(0, 8).toString('hex');
}

/** A UUID-shaped id (version 4 layout), for n8n node ids and webhook ids. */
export function stableUuid(...parts: string[]): string {
  const hex = digest(parts).subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** 16 letters and digits, the shape of n8n workflow and credential ids. */
export function stableAlnumId(...parts: string[]): string {
  return [...digest(parts).subarray(0, 16)].map((byte) => BASE62[byte % 62]).join('');
}
