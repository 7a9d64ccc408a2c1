import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { ACCEPTED_FOR_REVIEW, KEPT_IN_QUARANTINE, NOTHING_STORED, type BadRequestCase } from './case';
import { alertBody, JSON_TYPE, signed } from './requests';

/** 64 MiB of spaces inside a JSON string, gzipped to about 64 KiB: far over every cap once inflated. */
function gzipBomb(): { compressed: Buffer; inflatedBytes: number } {
  const inflatedBytes = 64 * 1024 * 1024;
  const inflated = Buffer.alloc(inflatedBytes, 0x20);
  inflated.write('{"a":"', 0);
  inflated.write('"}', inflatedBytes - 2);
  return { compressed: gzipSync(inflated, { level: 9 }), inflatedBytes };
}

let bomb: ReturnType<typeof gzipBomb> | undefined;
const theBomb = () => (bomb ??= gzipBomb());

const encodingRefused = { status: 415, outcome: 'unsupported_media_type', reason: /Content-Encoding .* not accepted/, stored: NOTHING_STORED } as const;

export const ENCODING_CASES: BadRequestCase[] = [
  {
    id: 'gzip-bomb-signed-compressed',
    group: 'gzip',
    title: 'gzip bomb (64 MiB inflated) with Content-Encoding: gzip, signed over the compressed bytes',
    request: (c) => signed(c, 'sw', theBomb().compressed, [JSON_TYPE, ['Content-Encoding', 'gzip']]),
    expect: encodingRefused,
  },
  {
    id: 'gzip-small-signed-inflated',
    group: 'gzip',
    title: 'a small gzipped alert, signed over the inflated JSON (what a host that inflates would verify)',
    request: (c) => {
      const body = alertBody(c);
      return { path: c.path('sw'), headers: [JSON_TYPE, ['Content-Encoding', 'gzip'], ...c.sign('sw', body)], body: gzipSync(body) };
    },
    expect: encodingRefused,
  },
  {
    id: 'deflate-signed',
    group: 'gzip',
    title: 'Content-Encoding: deflate',
    request: (c) => signed(c, 'sw', deflateSync(alertBody(c)), [JSON_TYPE, ['Content-Encoding', 'deflate']]),
    expect: encodingRefused,
  },
  {
    id: 'brotli-signed',
    group: 'gzip',
    title: 'Content-Encoding: br',
    request: (c) => signed(c, 'sw', brotliCompressSync(alertBody(c)), [JSON_TYPE, ['Content-Encoding', 'br']]),
    expect: encodingRefused,
  },
  {
    id: 'identity-encoding',
    group: 'gzip',
    title: 'Content-Encoding: identity is plain JSON',
    request: (c) => signed(c, 'sw', alertBody(c), [JSON_TYPE, ['Content-Encoding', 'identity']]),
    expect: { status: 202, outcome: 'accepted', reason: /1 pending_review/, stored: ACCEPTED_FOR_REVIEW },
  },
  {
    id: 'gzip-without-header',
    group: 'gzip',
    title: 'gzip bytes without Content-Encoding: binary, not UTF-8',
    request: (c) => signed(c, 'sw', gzipSync(alertBody(c))),
    expect: { status: 400, outcome: 'malformed', reason: /not valid UTF-8/, stored: KEPT_IN_QUARANTINE },
  },
];
