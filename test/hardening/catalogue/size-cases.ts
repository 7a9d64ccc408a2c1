import { ACCEPTED_FOR_REVIEW, KEPT_IN_QUARANTINE, NOTHING_STORED, type BadRequestCase } from './case';
import { alertBody, JSON_TYPE, signed } from './requests';

const CAP = 16 * 1024;
const tooLarge = { status: 413, outcome: 'payload_too_large', reason: /exceeds 16384 bytes/, stored: NOTHING_STORED } as const;
const timedOut = { status: 408, outcome: 'request_timeout', reason: /did not arrive within/, stored: NOTHING_STORED } as const;
// Node.js's HTTP parser refuses broken framing itself: 400, or just a closed connection when the rest of our
// bytes arrive after it hung up (the reset can overtake its answer).
const nodeParserRefusal = { status: [400, 0], outcome: null, reason: /^$|Bad Request/i, stored: NOTHING_STORED } as const;

/** A signed alert padded to exactly `size` bytes. */
function alertOfSize(context: Parameters<BadRequestCase['request']>[0], size: number): Buffer {
  const body = alertBody(context, { description: '' });
  const text = body.toString();
  return Buffer.from(text.replace('"description":""', `"description":"${'d'.repeat(size - body.length)}"`));
}

export const SIZE_CASES: BadRequestCase[] = [
  {
    id: 'size-at-cap',
    group: 'oversized',
    title: 'a signed body of exactly the cap is accepted',
    request: (c) => signed(c, 'sw', alertOfSize(c, CAP)),
    expect: { status: 202, outcome: 'accepted', reason: /1 pending_review/, stored: ACCEPTED_FOR_REVIEW },
  },
  {
    id: 'size-cap-plus-one',
    group: 'oversized',
    title: 'a signed body one byte over the cap, with Content-Length',
    request: (c) => signed(c, 'sw', alertOfSize(c, CAP + 1)),
    expect: tooLarge,
  },
  {
    id: 'size-declared-huge',
    group: 'oversized',
    title: 'Content-Length of 100 MB with only a few bytes sent: refused before reading',
    request: (c) => ({ path: c.path('sw'), headers: [JSON_TYPE], body: Buffer.from('{"a":1}'), mode: { kind: 'length', declaredLength: String(100 * 1024 * 1024) } }),
    expect: tooLarge,
  },
  {
    id: 'size-chunked-over-cap',
    group: 'oversized',
    title: 'a chunked body (no Content-Length) of 64 KiB in 4 KiB chunks',
    request: (c) => ({ path: c.path('sw'), headers: [JSON_TYPE], body: Buffer.alloc(64 * 1024, 0x20), mode: { kind: 'chunked', chunkBytes: 4096 } }),
    expect: tooLarge,
  },
  {
    id: 'size-chunked-endless',
    group: 'oversized',
    title: 'a chunked body that would go on for 8 MiB, 16 KiB every 5 ms: refused as soon as it crosses the cap',
    request: (c) => ({ path: c.path('sw'), headers: [JSON_TYPE], body: Buffer.alloc(8 * 1024 * 1024, 0x20), mode: { kind: 'drip', chunked: true, intervalMs: 5, bytesPerTick: 16 * 1024 } }),
    expect: tooLarge,
  },
  {
    id: 'size-chunked-valid',
    group: 'oversized',
    title: 'a signed body under the cap sent chunked is read whole and accepted',
    request: (c) => ({ ...signed(c, 'sw', alertBody(c)), mode: { kind: 'chunked', chunkBytes: 7 } }),
    expect: { status: 202, outcome: 'accepted', reason: /1 pending_review/, stored: ACCEPTED_FOR_REVIEW },
  },
  {
    id: 'size-slow-drip',
    group: 'oversized',
    title: 'slow drip: Content-Length 400, one byte every 250 ms',
    request: (c) => ({ path: c.path('sw'), headers: [JSON_TYPE], body: Buffer.alloc(400, 0x20), mode: { kind: 'drip', intervalMs: 250, bytesPerTick: 1 } }),
    expect: timedOut,
    timeoutMs: 40_000,
  },
  {
    id: 'size-slow-drip-chunked',
    group: 'oversized',
    title: 'slow drip, chunked: a one-byte chunk every 250 ms',
    request: (c) => ({ path: c.path('sw'), headers: [JSON_TYPE], body: Buffer.alloc(400, 0x20), mode: { kind: 'drip', chunked: true, intervalMs: 250, bytesPerTick: 1 } }),
    expect: timedOut,
    timeoutMs: 40_000,
  },
  {
    id: 'size-length-short',
    group: 'oversized',
    title: 'Content-Length shorter than the body: the rest is not a request, and Node.js closes the connection',
    request: (c) => ({ ...signed(c, 'sw', alertBody(c)), mode: { kind: 'length', declaredLength: '10' } }),
    expect: nodeParserRefusal,
  },
  {
    id: 'size-length-garbled',
    group: 'oversized',
    title: 'Content-Length that is not a number',
    request: (c) => ({ ...signed(c, 'sw', alertBody(c)), mode: { kind: 'length', declaredLength: '12abc' } }),
    expect: nodeParserRefusal,
  },
  {
    id: 'size-length-negative',
    group: 'oversized',
    title: 'negative Content-Length',
    request: (c) => ({ ...signed(c, 'sw', alertBody(c)), mode: { kind: 'length', declaredLength: '-1' } }),
    expect: nodeParserRefusal,
  },
  {
    id: 'size-length-twice',
    group: 'oversized',
    title: 'two different Content-Length headers (request smuggling)',
    request: (c) => {
      const body = alertBody(c);
      return { ...signed(c, 'sw', body, [JSON_TYPE, ['Content-Length', String(body.length)], ['Content-Length', '5']]) };
    },
    expect: nodeParserRefusal,
  },
  {
    id: 'size-length-and-chunked',
    group: 'oversized',
    title: 'Content-Length together with Transfer-Encoding: chunked (request smuggling)',
    request: (c) => ({ ...signed(c, 'sw', alertBody(c), [JSON_TYPE, ['Content-Length', '20']]), mode: { kind: 'chunked', chunkBytes: 64 } }),
    expect: nodeParserRefusal,
  },
  {
    id: 'size-empty',
    group: 'oversized',
    title: 'a signed empty body',
    request: (c) => signed(c, 'sw', Buffer.alloc(0)),
    expect: { status: 400, outcome: 'malformed', reason: /body is empty/, stored: KEPT_IN_QUARANTINE },
  },
];
