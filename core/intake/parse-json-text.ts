import { dropPrototypeKeys } from './drop-prototype-keys';
import { jsonDepthExceeds } from './json-depth';

/**
 * JSON text (already decoded) → an object or array: depth checked before parsing, `__proto__` keys dropped.
 * Used on the host for ordinary bodies and inside a mapping worker for large ones.
 *
 * Loaded by the mapping worker straight from source in tests: erasable syntax and `import type` only.
 */
export type JsonTextResult = { ok: true; payload: unknown } | { ok: false; message: string };

export function parseJsonText(text: string, maxDepth: number): JsonTextResult {
  if (text.trim() === '') return { ok: false, message: 'the request body is empty' };
  if (jsonDepthExceeds(text, maxDepth)) return { ok: false, message: `the JSON body is nested deeper than ${maxDepth} levels` };
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `the request body is not valid JSON: ${(error as Error).message.slice(0, 200)}` };
  }
  if (payload === null || typeof payload !== 'object') return { ok: false, message: 'the request body must be a JSON object or array' };
  dropPrototypeKeys(payload, text);
  return { ok: true, payload };
}
