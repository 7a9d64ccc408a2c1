import { N8N_UNREGISTERED_METHOD, N8N_UNREGISTERED_PATH } from './host-differences';
import { ACCEPTED_FOR_REVIEW, KEPT_IN_QUARANTINE, NOTHING_STORED, type BadRequestCase, type CaseContext } from './case';
import { alertBody, JSON_TYPE, signed } from './requests';
import type { WireRequest } from '../support/raw-http';

const disabled = { status: 503, outcome: 'source_disabled', reason: /this source is disabled/, stored: NOTHING_STORED, headers: { 'retry-after': /^300$/ } } as const;

/** Sends the set-up requests, each of which must get its status, then returns the case's own request. */
async function afterSteps(c: CaseContext, steps: Array<[WireRequest, number]>, then: () => WireRequest): Promise<WireRequest> {
  for (const [request, status] of steps) {
    const answer = await c.send(request);
    if (answer.status !== status) throw new Error(`set-up step: expected ${status}, got ${answer.status} ${JSON.stringify(answer.json)}`);
  }
  return then();
}

/** Seconds until the next 00:00 UTC, as the tenant budget's Retry-After should say. */
function secondsToMidnightUtc(): number {
  const now = Date.now();
  return Math.ceil((Math.floor(now / 86_400_000 + 1) * 86_400_000 - now) / 1000);
}

export const SOURCE_CASES: BadRequestCase[] = [
  {
    id: 'source-unknown',
    group: 'unknown source',
    title: 'a signed request to a path no source is configured at',
    request: (c) => ({ ...signed(c, 'sw', alertBody(c)), path: c.path('sw').replace(/[^/]+$/, 'no-such-source') }),
    expect: { status: 404, outcome: null, reason: /.*/, stored: NOTHING_STORED },
    hosts: { n8n: N8N_UNREGISTERED_PATH },
  },
  {
    id: 'source-wrong-method',
    group: 'unknown source',
    title: 'GET on an intake route',
    request: (c) => ({ method: 'GET', path: c.path('sw'), headers: [], body: Buffer.alloc(0), mode: { kind: 'length', declaredLength: null } }),
    expect: { status: 404, outcome: null, reason: /.*/, stored: NOTHING_STORED },
    hosts: { n8n: N8N_UNREGISTERED_METHOD },
  },
  {
    id: 'source-disabled',
    group: 'disabled source',
    title: 'a correctly signed event to a source an operator disabled',
    request: async (c) => {
      await c.disableSource('disabled');
      return signed(c, 'disabled', alertBody(c));
    },
    expect: disabled,
  },
  {
    id: 'source-disabled-bad-signature',
    group: 'disabled source',
    title: 'a badly signed event to a disabled source is refused as unauthenticated (authentication first)',
    request: (c) => signed(c, 'disabled', alertBody(c), undefined, { secret: 'whsec_d3JvbmctZGlzYWJsZWQtc2VjcmV0' }),
    expect: { status: 401, outcome: 'unauthorized', reason: /invalid_signature/, stored: NOTHING_STORED },
  },
  {
    id: 'source-hour-limit',
    group: 'budget',
    title: 'source-hour limit of 1: the second request disables the source',
    request: (c) => afterSteps(c, [[signed(c, 'flood', alertBody(c)), 202]], () => signed(c, 'flood', alertBody(c))),
    expect: { status: 503, outcome: 'source_limit_exceeded', reason: /now disabled until re-enabled/, stored: NOTHING_STORED, headers: { 'retry-after': /^300$/ } },
  },
  {
    id: 'source-hour-limit-after',
    group: 'budget',
    title: 'after that, the source answers as disabled',
    request: (c) => signed(c, 'flood', alertBody(c)),
    expect: { ...disabled, reason: /this source is disabled \(.*within the hour|limit/ },
  },
  {
    id: 'budget-last-allowed',
    group: 'budget',
    title: 'tenant day budget of 2: the second request is the last one allowed',
    request: (c) => afterSteps(c, [[signed(c, 'budget', alertBody(c)), 202]], () => signed(c, 'budget', alertBody(c))),
    expect: { status: 202, outcome: 'accepted', reason: /1 pending_review/, stored: ACCEPTED_FOR_REVIEW },
  },
  {
    id: 'budget-exhausted',
    group: 'budget',
    title: 'the third request meets 429 with Retry-After until 00:00 UTC',
    request: (c) => signed(c, 'budget', alertBody(c)),
    expect: { status: 429, outcome: 'tenant_budget_exhausted', reason: /budget/, stored: NOTHING_STORED, headers: { 'retry-after': /^\d+$/ } },
    check: ({ headers }) => {
      const retryAfter = Number(headers['retry-after']?.[0]);
      if (Math.abs(retryAfter - secondsToMidnightUtc()) > 5) throw new Error(`Retry-After ${retryAfter} is not the time left until 00:00 UTC`);
    },
  },
  {
    id: 'budget-exhausted-malformed',
    group: 'budget',
    title: 'with the budget spent, even a malformed body is refused with 429 (budget comes before parsing)',
    request: (c) => signed(c, 'budget', Buffer.from('{not json')),
    expect: { status: 429, outcome: 'tenant_budget_exhausted', reason: /budget/, stored: NOTHING_STORED },
  },
  {
    id: 'budget-exhausted-unsigned',
    group: 'budget',
    title: 'with the budget spent, an unsigned request is still 401',
    request: (c) => ({ path: c.path('budget'), headers: [JSON_TYPE], body: alertBody(c) }),
    expect: { status: 401, outcome: 'unauthorized', reason: /missing_signature/, stored: NOTHING_STORED },
  },
  {
    id: 'hostile-mapping-regex',
    group: 'hostile mapping',
    title: 'a title that sends the source’s user mapping into catastrophic backtracking',
    request: (c) => signed(c, 'hostile', alertBody(c, { title: `${'a'.repeat(40)}!` })),
    expect: { status: 202, outcome: 'quarantined', reason: /lacks mandatory data/, stored: KEPT_IN_QUARANTINE },
  },
  {
    id: 'hostile-mapping-normal',
    group: 'hostile mapping',
    title: 'the same mapping on an ordinary title maps normally',
    request: (c) => signed(c, 'hostile', alertBody(c)),
    expect: { status: 202, outcome: 'accepted', reason: /1 pending_review/, stored: ACCEPTED_FOR_REVIEW },
  },
];
