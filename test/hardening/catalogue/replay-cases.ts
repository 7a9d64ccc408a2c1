import { NOTHING_STORED, type BadRequestCase, type CaseContext } from './case';
import { alertBody, JSON_TYPE, signed } from './requests';
import type { WireRequest } from '../support/raw-http';

/** Sends `first` (which must get `status`), then hands back the request the case itself sends. */
async function after(c: CaseContext, first: WireRequest, status: number, then: (answer: Record<string, unknown> | undefined) => WireRequest): Promise<WireRequest> {
  const answer = await c.send(first);
  if (answer.status !== status) throw new Error(`setting up the replay: expected ${status}, got ${answer.status} ${JSON.stringify(answer.json)}`);
  return then(answer.json);
}

const duplicate = (status: number) => ({ status, outcome: 'duplicate', reason: /already received as rcp_.*nothing new was stored/, stored: NOTHING_STORED }) as const;

export const REPLAY_CASES: BadRequestCase[] = [
  {
    id: 'replay-exact',
    group: 'replay',
    title: 'the same signed request again (a sender retry or a captured replay)',
    request: (c) => {
      const request = signed(c, 'sw', alertBody(c));
      return after(c, request, 202, () => request);
    },
    expect: duplicate(202),
  },
  {
    id: 'replay-same-id-new-body',
    group: 'replay',
    title: 'a new body signed under a webhook-id already used',
    request: (c) => {
      const id = `msg_${c.unique('replay')}`;
      return after(c, signed(c, 'sw', alertBody(c), undefined, { id }), 202, () => signed(c, 'sw', alertBody(c), undefined, { id }));
    },
    expect: duplicate(202),
  },
  {
    id: 'replay-fresh-unsigned-id',
    group: 'replay',
    title: 'a captured PagerDuty request resent under a fresh, unsigned X-Webhook-Id',
    request: (c) => {
      const body = alertBody(c);
      const request = (id: string): WireRequest => ({ path: c.path('pagerduty'), headers: [JSON_TYPE, ['X-Webhook-Id', id], ...c.sign('pagerduty', body)], body });
      return after(c, request(c.unique('pd')), 202, () => request(c.unique('pd')));
    },
    expect: duplicate(202),
  },
  {
    id: 'replay-hub',
    group: 'replay',
    title: 'a hub-sha256 request resent',
    request: (c) => {
      const request = signed(c, 'hub', alertBody(c));
      return after(c, request, 202, () => request);
    },
    expect: duplicate(202),
  },
  {
    id: 'replay-of-malformed',
    group: 'replay',
    title: 'a malformed request resent gets the first answer (400) and stores nothing more',
    request: (c) => {
      const request = signed(c, 'sw', Buffer.from(`{"broken":"${c.unique('m')}"`));
      return after(c, request, 400, () => request);
    },
    expect: duplicate(400),
  },
  {
    id: 'replay-signature-reordered',
    group: 'replay',
    title: 'the same Standard Webhooks message with its signature listed twice (a padded header still replays)',
    request: (c) => {
      const body = alertBody(c);
      const headers = c.sign('sw', body);
      const padded = headers.map(([key, value]) => [key, key === 'webhook-signature' ? `${value} ${value}` : value] as [string, string]);
      return after(c, { path: c.path('sw'), headers: [JSON_TYPE, ...headers], body }, 202, () => ({ path: c.path('sw'), headers: [JSON_TYPE, ...padded], body }));
    },
    expect: duplicate(202),
  },
];
