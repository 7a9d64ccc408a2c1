import { ACCEPTED_FOR_REVIEW, KEPT_IN_QUARANTINE, type BadRequestCase, type CaseContext } from './case';
import { alertBody, signed } from './requests';

const notUtf8 = { status: 400, outcome: 'malformed', reason: /not valid UTF-8/, stored: KEPT_IN_QUARANTINE } as const;
const accepted = { status: 202, outcome: 'accepted', reason: /1 pending_review/, stored: ACCEPTED_FOR_REVIEW } as const;

/** A signed alert whose title has `bytes` spliced into it. */
function alertWithBytes(c: CaseContext, bytes: number[]): Buffer {
  const [before, after] = alertBody(c, { title: '@@' }).toString().split('@@');
  return Buffer.concat([Buffer.from(before!), Buffer.from(bytes), Buffer.from(after!)]);
}

const BOM = [0xef, 0xbb, 0xbf];

export const UTF8_CASES: BadRequestCase[] = [
  { id: 'utf8-ff-byte', group: 'invalid UTF-8', title: 'a 0xFF byte', request: (c) => signed(c, 'sw', alertWithBytes(c, [0x41, 0xff, 0x42])), expect: notUtf8 },
  { id: 'utf8-overlong', group: 'invalid UTF-8', title: "an overlong encoding of '/' (C0 AF)", request: (c) => signed(c, 'sw', alertWithBytes(c, [0xc0, 0xaf])), expect: notUtf8 },
  { id: 'utf8-surrogate', group: 'invalid UTF-8', title: 'an encoded UTF-16 surrogate (ED A0 80)', request: (c) => signed(c, 'sw', alertWithBytes(c, [0xed, 0xa0, 0x80])), expect: notUtf8 },
  { id: 'utf8-truncated', group: 'invalid UTF-8', title: 'a multi-byte sequence cut short (E2 82)', request: (c) => signed(c, 'sw', alertWithBytes(c, [0xe2, 0x82])), expect: notUtf8 },
  { id: 'utf8-above-max', group: 'invalid UTF-8', title: 'a code point above U+10FFFF (F4 90 80 80)', request: (c) => signed(c, 'sw', alertWithBytes(c, [0xf4, 0x90, 0x80, 0x80])), expect: notUtf8 },
  { id: 'utf8-bom', group: 'BOM', title: 'one leading UTF-8 BOM is tolerated', request: (c) => signed(c, 'sw', Buffer.concat([Buffer.from(BOM), alertBody(c)])), expect: accepted },
  {
    id: 'utf8-double-bom',
    group: 'BOM',
    title: 'two leading BOMs: the second is a character, not JSON',
    request: (c) => signed(c, 'sw', Buffer.concat([Buffer.from([...BOM, ...BOM]), alertBody(c)])),
    expect: { status: 400, outcome: 'malformed', reason: /not valid JSON/, stored: KEPT_IN_QUARANTINE },
  },
  {
    id: 'utf16-bom',
    group: 'BOM',
    title: 'UTF-16LE with its BOM',
    request: (c) => signed(c, 'sw', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(alertBody(c).toString(), 'utf16le')])),
    expect: notUtf8,
  },
  { id: 'utf8-escaped-nul', group: 'invalid UTF-8', title: 'an escaped NUL (\\u0000) is valid JSON text', request: (c) => signed(c, 'sw', Buffer.from(alertBody(c, { description: 'a\u0000b' }))), expect: accepted },
  {
    id: 'utf8-escaped-lone-surrogate',
    group: 'invalid UTF-8',
    title: 'an escaped lone surrogate (\\ud800) is valid JSON text',
    request: (c) => signed(c, 'sw', Buffer.from(alertBody(c).toString().replace('"status"', '"note":"\\ud800","status"'))),
    expect: accepted,
  },
];
