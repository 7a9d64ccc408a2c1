import { ACCEPTED_FOR_REVIEW, KEPT_IN_QUARANTINE, NOTHING_STORED, type BadRequestCase } from './case';
import { alertBody, signed } from './requests';

const refused = { status: 415, outcome: 'unsupported_media_type', reason: /expected a JSON body/, stored: NOTHING_STORED } as const;
const accepted = { status: 202, outcome: 'accepted', reason: /1 pending_review/, stored: ACCEPTED_FOR_REVIEW } as const;
const typed = (type: string) => [['Content-Type', type]] as Array<[string, string]>;

export const CONTENT_TYPE_CASES: BadRequestCase[] = [
  { id: 'ctype-xml', group: 'content type', title: 'application/xml', request: (c) => signed(c, 'sw', Buffer.from('<a/>'), typed('application/xml')), expect: refused },
  {
    id: 'ctype-form',
    group: 'content type',
    title: 'application/x-www-form-urlencoded (which Node-RED would otherwise parse itself)',
    request: (c) => signed(c, 'sw', Buffer.from('payload=%7B%7D'), typed('application/x-www-form-urlencoded')),
    expect: refused,
  },
  { id: 'ctype-multipart', group: 'content type', title: 'multipart/form-data', request: (c) => signed(c, 'sw', Buffer.from('--x\r\n\r\n{}\r\n--x--'), typed('multipart/form-data; boundary=x')), expect: refused },
  { id: 'ctype-octet', group: 'content type', title: 'application/octet-stream', request: (c) => signed(c, 'sw', alertBody(c), typed('application/octet-stream')), expect: refused },
  { id: 'ctype-text-plain', group: 'content type', title: 'text/plain carrying JSON (Zabbix, scripts) is accepted', request: (c) => signed(c, 'sw', alertBody(c), typed('text/plain')), expect: accepted },
  { id: 'ctype-plus-json', group: 'content type', title: 'application/vnd.acme+json', request: (c) => signed(c, 'sw', alertBody(c), typed('application/vnd.acme+json; charset=utf-8')), expect: accepted },
  { id: 'ctype-missing', group: 'content type', title: 'no Content-Type at all', request: (c) => signed(c, 'sw', alertBody(c), []), expect: accepted },
  {
    id: 'ctype-twice',
    group: 'content type',
    title: 'Content-Type sent twice',
    request: (c) => signed(c, 'sw', alertBody(c), [...typed('application/json'), ...typed('application/xml')]),
    expect: { status: 400, outcome: 'malformed', reason: /Content-Type was sent more than once/, stored: KEPT_IN_QUARANTINE },
  },
  {
    id: 'ctype-unsigned-xml',
    group: 'content type',
    title: 'an unsigned XML body is refused as unauthenticated first (authentication comes before parsing)',
    request: (c) => ({ path: c.path('sw'), headers: typed('application/xml'), body: Buffer.from('<a/>') }),
    expect: { status: 401, outcome: 'unauthorized', reason: /missing_signature/, stored: NOTHING_STORED },
  },
];
