import { eventsOfReceipt } from '../support/store-snapshot';
import { ACCEPTED_FOR_REVIEW, KEPT_IN_QUARANTINE, type BadRequestCase, type CaseAnswer, type CaseContext } from './case';
import { alertBody, signed } from './requests';

const notJson = { status: 400, outcome: 'malformed', reason: /not valid JSON/, stored: KEPT_IN_QUARANTINE } as const;
const quarantinedForMissingData = { status: 202, outcome: 'quarantined', reason: /lacks mandatory data/, stored: KEPT_IN_QUARANTINE } as const;
const accepted = { status: 202, outcome: 'accepted', reason: /1 pending_review/, stored: ACCEPTED_FOR_REVIEW } as const;

const text = (c: CaseContext, body: string) => signed(c, 'sw', Buffer.from(body));
const nested = (depth: number, open: string, close: string, inner = '0') => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** An alert with an extra field (the preset ignores it) holding arrays nested to reach `depth` in total. */
function alertNestedTo(c: CaseContext, depth: number): Buffer {
  const id = c.unique('deep');
  // {"type","data":{…,"extra":[…]}}: the alert object itself is 2 levels deep.
  return Buffer.from(`{"type":"incident.created","data":{"id":"${id}","title":"Deep ${id}","severity":"high","extra":${nested(depth - 2, '[', ']')}}}`);
}

/** The stored event's candidate must not carry a polluted title: the event is quarantined for lacking one. */
function notPolluted({ receiptId }: CaseAnswer, storePath: string): void {
  const [event] = eventsOfReceipt(storePath, receiptId!);
  if (!event || event.state !== 'quarantined' || /POLLUTED/.test(event.candidate ?? '')) throw new Error(`prototype pollution reached the stored event: ${JSON.stringify(event)}`);
}

const pollutionAttempt = (c: CaseContext, json: (id: string) => string) => text(c, json(c.unique('proto')));

export const JSON_CASES: BadRequestCase[] = [
  { id: 'json-truncated', group: 'malformed JSON', title: 'truncated JSON', request: (c) => text(c, '{"type":"incident.created","data":{"id":'), expect: notJson },
  { id: 'json-trailing-garbage', group: 'malformed JSON', title: 'a valid object followed by garbage', request: (c) => text(c, `${alertBody(c)}xyz`), expect: notJson },
  { id: 'json-single-quotes', group: 'malformed JSON', title: "single-quoted strings", request: (c) => text(c, "{'type':'incident.created'}"), expect: notJson },
  { id: 'json-nan', group: 'malformed JSON', title: 'NaN literal', request: (c) => text(c, '{"data":{"id":"x","score":NaN}}'), expect: notJson },
  { id: 'json-comment', group: 'malformed JSON', title: 'a comment inside JSON', request: (c) => text(c, '{"data":{"id":"x"} /* hi */}'), expect: notJson },
  { id: 'json-whitespace', group: 'malformed JSON', title: 'whitespace only', request: (c) => text(c, ' \n\t '), expect: { ...notJson, reason: /body is empty/ } },
  { id: 'json-scalar-string', group: 'malformed JSON', title: 'a top-level string', request: (c) => text(c, '"hello"'), expect: { ...notJson, reason: /must be a JSON object or array/ } },
  { id: 'json-scalar-null', group: 'malformed JSON', title: 'a top-level null', request: (c) => text(c, 'null'), expect: { ...notJson, reason: /must be a JSON object or array/ } },
  { id: 'json-scalar-number', group: 'malformed JSON', title: 'a top-level number', request: (c) => text(c, '1e999'), expect: { ...notJson, reason: /must be a JSON object or array/ } },
  {
    id: 'json-10k-deep-arrays',
    group: 'nesting',
    title: '10,000-deep nested arrays',
    request: (c) => signed(c, 'big', Buffer.from(nested(10_000, '[', ']'))),
    expect: { ...notJson, reason: /nested deeper than 100 levels/ },
  },
  {
    id: 'json-10k-deep-objects',
    group: 'nesting',
    title: '10,000-deep nested objects',
    request: (c) => signed(c, 'big', Buffer.from(nested(10_000, '{"a":', '}', '1'))),
    expect: { ...notJson, reason: /nested deeper than 100 levels/ },
  },
  {
    id: 'json-10k-deep-in-strings',
    group: 'nesting',
    title: '10,000 brackets inside a string are not nesting',
    request: (c) => signed(c, 'sw', alertBody(c, { description: '['.repeat(10_000) })),
    expect: accepted,
  },
  { id: 'json-depth-100', group: 'nesting', title: 'nesting of exactly 100 levels is accepted', request: (c) => signed(c, 'sw', alertNestedTo(c, 100)), expect: accepted },
  { id: 'json-depth-101', group: 'nesting', title: 'nesting of 101 levels is refused', request: (c) => signed(c, 'sw', alertNestedTo(c, 101)), expect: { ...notJson, reason: /nested deeper than 100 levels/ } },
  {
    id: 'json-1m-numbers',
    group: 'huge arrays',
    title: 'an alert list of 1,000,000 numbers (2 MB, under a 4 MiB cap)',
    request: (c) => signed(c, 'big', Buffer.from(`{"type":"incident.created","data":[${new Array(1_000_000).fill('0').join(',')}]}`)),
    expect: { ...quarantinedForMissingData, reason: /quarantined/ },
  },
  {
    id: 'json-300k-objects',
    group: 'huge arrays',
    title: 'a top-level array of 300,000 empty objects (900 kB)',
    request: (c) => signed(c, 'big', Buffer.from(`[${new Array(300_000).fill('{}').join(',')}]`)),
    expect: { ...quarantinedForMissingData, reason: /quarantined/ },
  },
  {
    id: 'json-100k-keys',
    group: 'huge arrays',
    title: 'one object with 100,000 keys',
    request: (c) => signed(c, 'big', Buffer.from(`{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`)),
    expect: quarantinedForMissingData,
  },
  {
    id: 'json-large-truncated',
    group: 'huge arrays',
    title: 'a 700 kB body cut off mid-array (parsed by a mapping worker, not the host)',
    request: (c) => signed(c, 'big', Buffer.from(`{"type":"incident.created","data":[${new Array(350_000).fill('0').join(',')}`)),
    expect: { ...notJson, reason: /not valid JSON/ },
  },
  {
    id: 'json-large-too-deep',
    group: 'nesting',
    title: '600,000-deep nested arrays (parsed by a mapping worker, not the host)',
    request: (c) => signed(c, 'big', Buffer.from(nested(300_000, '[', ']'))),
    expect: { ...notJson, reason: /nested deeper than 100 levels/ },
  },
  {
    id: 'json-3mb-string',
    group: 'huge arrays',
    title: 'a 3 MB title',
    request: (c) => signed(c, 'big', alertBody(c, { title: 't'.repeat(3_000_000) })),
    expect: quarantinedForMissingData,
  },
  {
    id: 'json-duplicate-keys',
    group: 'duplicate keys',
    title: 'duplicate keys: the last one wins, as in JSON.parse',
    request: (c) => {
      const id = c.unique('dup');
      return text(c, `{"type":"incident.created","data":{"id":"${id}","title":"first title","severity":"low","title":"LAST TITLE","severity":"high"}}`);
    },
    expect: accepted,
    check: ({ receiptId }, storePath) => {
      const [event] = eventsOfReceipt(storePath, receiptId!);
      const candidate = JSON.parse(event!.candidate!) as { title: string; severity: string };
      if (candidate.title !== 'LAST TITLE' || candidate.severity !== 'high') throw new Error(`duplicate keys resolved unexpectedly: ${event!.candidate}`);
    },
  },
  {
    id: 'json-proto-top',
    group: 'prototype keys',
    title: '__proto__ at the top level carrying a title',
    request: (c) => pollutionAttempt(c, (id) => `{"__proto__":{"title":"POLLUTED","severity":"high"},"type":"incident.created","data":{"id":"${id}"}}`),
    expect: quarantinedForMissingData,
    check: notPolluted,
  },
  {
    id: 'json-proto-nested',
    group: 'prototype keys',
    title: '__proto__ inside the alert',
    request: (c) => pollutionAttempt(c, (id) => `{"type":"incident.created","data":{"id":"${id}","__proto__":{"title":"POLLUTED","severity":"high"}}}`),
    expect: quarantinedForMissingData,
    check: notPolluted,
  },
  {
    id: 'json-proto-escaped',
    group: 'prototype keys',
    title: '__proto__ spelled with a unicode escape',
    request: (c) => pollutionAttempt(c, (id) => `{"type":"incident.created","data":{"id":"${id}","\\u005f_proto__":{"title":"POLLUTED","severity":"high"}}}`),
    expect: quarantinedForMissingData,
    check: notPolluted,
  },
  {
    id: 'json-constructor-prototype',
    group: 'prototype keys',
    title: 'constructor.prototype carrying a title',
    request: (c) => pollutionAttempt(c, (id) => `{"constructor":{"prototype":{"title":"POLLUTED"}},"type":"incident.created","data":{"id":"${id}","constructor":{"prototype":{"title":"POLLUTED","severity":"high"}}}}`),
    expect: quarantinedForMissingData,
    check: notPolluted,
  },
  {
    id: 'json-prototype-key',
    group: 'prototype keys',
    title: 'a plain "prototype" key',
    request: (c) => pollutionAttempt(c, (id) => `{"prototype":{"title":"POLLUTED"},"type":"incident.created","data":{"id":"${id}","prototype":{"title":"POLLUTED"}}}`),
    expect: quarantinedForMissingData,
    check: notPolluted,
  },
  {
    id: 'json-proto-after-pollution',
    group: 'prototype keys',
    title: 'after the attempts, an alert without a title is still quarantined (nothing leaked into Object.prototype)',
    request: (c) => text(c, `{"type":"incident.created","data":{"id":"${c.unique('after')}"}}`),
    expect: quarantinedForMissingData,
    check: notPolluted,
  },
];
