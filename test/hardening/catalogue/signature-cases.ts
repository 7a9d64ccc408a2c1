import { ACCEPTED_FOR_REVIEW, NOTHING_STORED, type BadRequestCase, type CaseContext, type Expectation } from './case';
import { alertBody, JSON_TYPE, signed } from './requests';
import { CATALOGUE_SOURCES, type SourceKey } from './sources';
import { wrongSecret } from '../support/secrets';

const unauthorized = (code: string): Expectation => ({ status: 401, outcome: 'unauthorized', reason: new RegExp(`\\(${code}\\)`), stored: NOTHING_STORED });
const accepted: Expectation = { status: 202, outcome: 'accepted', reason: /1 pending_review/, stored: ACCEPTED_FOR_REVIEW };

const SIGNED_SOURCES: SourceKey[] = ['sw', 'stripe', 'pagerduty', 'hub', 'grafana', 'hmacHex', 'hmacBase64', 'token', 'basic'];

/** Signature headers with one header's value replaced (or removed, for undefined). */
function tampered(c: CaseContext, source: SourceKey, body: Buffer, name: string, value: string | undefined): Array<[string, string]> {
  const headers = c.sign(source, body).filter(([key]) => key.toLowerCase() !== name.toLowerCase());
  return value === undefined ? headers : [...headers, [name, value]];
}

const swWith = (name: string, value: string | undefined) => (c: CaseContext) => {
  const body = alertBody(c);
  return { path: c.path('sw'), headers: [JSON_TYPE, ...tampered(c, 'sw', body, name, value)], body };
};

/** Both values of a header the sender sent twice. */
const swTwice = (name: string, second: (headers: Array<[string, string]>) => string) => (c: CaseContext) => {
  const body = alertBody(c);
  const headers = c.sign('sw', body);
  const first = headers.find(([key]) => key.toLowerCase() === name)!;
  return { path: c.path('sw'), headers: [JSON_TYPE, ...headers, [first[0], second(headers)] as [string, string]], body };
};


const wrongSecretCases: BadRequestCase[] = SIGNED_SOURCES.map((source) => ({
  id: `wrong-secret-${source}`,
  group: 'wrong secret',
  title: `${CATALOGUE_SOURCES[source].scheme} signed with a wrong secret`,
  request: (c: CaseContext) => signed(c, source, alertBody(c), [JSON_TYPE], { secret: wrongSecret(CATALOGUE_SOURCES[source].secret) }),
  expect: unauthorized('invalid_signature'),
}));

const rightSecretCases: BadRequestCase[] = SIGNED_SOURCES.map((source) => ({
  id: `right-secret-${source}`,
  group: 'control',
  title: `${CATALOGUE_SOURCES[source].scheme} signed correctly is accepted`,
  request: (c: CaseContext) => signed(c, source, alertBody(c)),
  expect: accepted,
}));

export const SIGNATURE_CASES: BadRequestCase[] = [
  ...rightSecretCases,
  ...wrongSecretCases,
  {
    id: 'sig-missing-all',
    group: 'signature headers',
    title: 'no signature headers at all',
    request: (c) => ({ path: c.path('sw'), headers: [JSON_TYPE], body: alertBody(c) }),
    expect: unauthorized('missing_signature'),
  },
  { id: 'sig-missing-id', group: 'signature headers', title: 'webhook-id missing', request: swWith('webhook-id', undefined), expect: unauthorized('missing_signature') },
  { id: 'sig-missing-timestamp', group: 'signature headers', title: 'webhook-timestamp missing', request: swWith('webhook-timestamp', undefined), expect: unauthorized('missing_timestamp') },
  { id: 'sig-garbled-base64', group: 'signature headers', title: 'a signature that is not base64', request: swWith('webhook-signature', 'v1,!!!not*base64!!!'), expect: unauthorized('malformed_signature') },
  { id: 'sig-wrong-version', group: 'signature headers', title: 'only a v2 signature', request: swWith('webhook-signature', `v2,${Buffer.alloc(32, 1).toString('base64')}`), expect: unauthorized('malformed_signature') },
  { id: 'sig-short-mac', group: 'signature headers', title: 'a v1 signature of 16 bytes', request: swWith('webhook-signature', `v1,${Buffer.alloc(16, 1).toString('base64')}`), expect: unauthorized('malformed_signature') },
  { id: 'sig-garbled-timestamp', group: 'signature headers', title: 'a timestamp that is not unix seconds', request: swWith('webhook-timestamp', '2026-11-23T10:00:00Z'), expect: unauthorized('malformed_signature') },
  { id: 'sig-leading-zero-timestamp', group: 'signature headers', title: 'a timestamp with a leading zero', request: swWith('webhook-timestamp', `0${Math.floor(Date.now() / 1000)}`), expect: unauthorized('malformed_signature') },
  {
    id: 'sig-other-body',
    group: 'signature headers',
    title: 'a valid signature of another body',
    request: (c) => ({ path: c.path('sw'), headers: [JSON_TYPE, ...c.sign('sw', alertBody(c))], body: alertBody(c) }),
    expect: unauthorized('invalid_signature'),
  },
  {
    id: 'sig-many-entries',
    group: 'signature headers',
    title: '200 wrong v1 entries in one header',
    request: swWith('webhook-signature', Array.from({ length: 200 }, (_, i) => `v1,${Buffer.alloc(32, i).toString('base64')}`).join(' ')),
    expect: unauthorized('invalid_signature'),
  },
  {
    id: 'sig-header-too-large',
    group: 'signature headers',
    title: 'a 20 KiB signature header (over Node.js header limit)',
    request: swWith('webhook-signature', `v1,${'A'.repeat(20 * 1024)}`),
    expect: { status: 431, outcome: null, reason: /.*/, stored: NOTHING_STORED },
  },
  {
    id: 'sig-duplicated-signature',
    group: 'signature headers',
    title: 'webhook-signature sent twice',
    request: swTwice('webhook-signature', () => `v1,${Buffer.alloc(32, 7).toString('base64')}`),
    expect: unauthorized('duplicate_header'),
  },
  {
    id: 'sig-duplicated-id',
    group: 'signature headers',
    title: 'webhook-id sent twice',
    request: swTwice('webhook-id', () => 'msg_other'),
    expect: unauthorized('duplicate_header'),
  },
  {
    id: 'sig-duplicated-timestamp',
    group: 'signature headers',
    title: 'webhook-timestamp sent twice',
    request: swTwice('webhook-timestamp', (headers) => headers.find(([key]) => key === 'webhook-timestamp')![1]),
    expect: unauthorized('duplicate_header'),
  },
  {
    id: 'sig-svix-brand',
    group: 'signature headers',
    title: 'the same scheme under Svix header names is accepted',
    request: (c) => {
      const body = alertBody(c);
      return { path: c.path('sw'), headers: [JSON_TYPE, ...c.sign('sw', body).map(([key, value]) => [key.replace('webhook-', 'svix-'), value] as [string, string])], body };
    },
    expect: accepted,
  },
  {
    id: 'sig-stripe-two-timestamps',
    group: 'signature headers',
    title: 'Stripe-Signature with two t= entries',
    request: (c) => {
      const body = alertBody(c);
      const [[name, value]] = c.sign('stripe', body) as [[string, string]];
      return { path: c.path('stripe'), headers: [JSON_TYPE, [name, `t=1,${value}`]], body };
    },
    expect: unauthorized('malformed_signature'),
  },
  {
    id: 'sig-pagerduty-garbled',
    group: 'signature headers',
    title: 'X-PagerDuty-Signature with a v1= that is not hex',
    request: (c) => ({ path: c.path('pagerduty'), headers: [JSON_TYPE, ['X-PagerDuty-Signature', 'v1=zz']], body: alertBody(c) }),
    expect: unauthorized('malformed_signature'),
  },
  {
    id: 'sig-hub-sha1-only',
    group: 'signature headers',
    title: 'X-Hub-Signature with only a legacy sha1=',
    request: (c) => ({ path: c.path('hub'), headers: [JSON_TYPE, ['X-Hub-Signature', `sha1=${'ab'.repeat(20)}`]], body: alertBody(c) }),
    expect: unauthorized('malformed_signature'),
  },
  {
    id: 'sig-basic-not-base64',
    group: 'signature headers',
    title: 'Authorization: Basic with something that is not base64(user:password)',
    request: (c) => ({ path: c.path('basic'), headers: [JSON_TYPE, ['Authorization', 'Basic %%%']], body: alertBody(c) }),
    expect: unauthorized('malformed_signature'),
  },
  {
    id: 'sig-bearer-empty',
    group: 'signature headers',
    title: 'Authorization: Bearer without a token',
    request: (c) => ({ path: c.path('token'), headers: [JSON_TYPE, ['Authorization', 'Bearer']], body: alertBody(c) }),
    expect: unauthorized('malformed_signature'),
  },
  {
    id: 'sig-grafana-no-timestamp',
    group: 'signature headers',
    title: 'Grafana signature without its timestamp header',
    request: (c) => {
      const body = alertBody(c);
      return { path: c.path('grafana'), headers: [JSON_TYPE, ...tampered(c, 'grafana', body, CATALOGUE_SOURCES.grafana.timestampHeader, undefined)], body };
    },
    expect: unauthorized('missing_timestamp'),
  },
];
