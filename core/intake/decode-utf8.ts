/**
 * A request body's bytes → text: strict UTF-8, one leading BOM tolerated. Used on the host for ordinary bodies
 * and inside a mapping worker for large ones (decoding megabytes costs the host's loop milliseconds).
 *
 * Loaded by the mapping worker straight from source in tests: erasable syntax and `import type` only.
 */
export type Utf8Result = { ok: true; text: string } | { ok: false; message: string };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeUtf8(bytes: Uint8Array): Utf8Result {
  try {
    return { ok: true, text: UTF8.decode(bytes) };
  } catch {
    return { ok: false, message: 'the request body is not valid UTF-8' };
  }
}
