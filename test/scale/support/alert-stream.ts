import { createHash } from 'node:crypto';
import { signRequest } from '../../../core/signing';

/**
 * Alertmanager webhook (payload version 4) requests for the scale-out test, signed with Standard Webhooks.
 * An identity is one alert (its fingerprint); a request carries one or two alerts of the same status.
 */
export interface SignedRequest {
  /** The signed message id: what makes a retry of this request a retry. */
  messageId: string;
  kind: 'firing' | 'repeat' | 'resolved' | 'flood';
  /** Identity numbers of the alerts it carries. */
  identities: number[];
  body: Buffer;
  headers: Record<string, string>;
}

const STARTS_AT = '2026-03-02T08:30:00.000Z';
const ENDS_AT = '2026-03-02T09:05:00.000Z';

export function fingerprint(identity: number): string {
  return createHash('sha256').update(`scale-out-${identity}`).digest('hex').slice(0, 16);
}

function alert(identity: number, status: 'firing' | 'resolved') {
  const labels = { alertname: `ScaleOutAlert${identity}`, service: `svc-${identity % 7}`, severity: identity % 3 === 0 ? 'warning' : 'critical' };
  return {
    status,
    labels,
    annotations: { summary: `svc-${identity % 7} alert ${identity}`, description: 'raised by the scale-out test' },
    startsAt: STARTS_AT,
    endsAt: status === 'resolved' ? ENDS_AT : '0001-01-01T00:00:00Z',
    generatorURL: `https://prometheus.scale.example/graph?g0.expr=up%7Bjob%3D%22svc-${identity}%22%7D`,
    fingerprint: fingerprint(identity),
  };
}

function alertGroup(identities: number[], status: 'firing' | 'resolved') {
  return {
    version: '4',
    groupKey: `{}:{group="${identities.join(',')}"}`,
    truncatedAlerts: 0,
    receiver: 'incident-intake',
    status,
    groupLabels: { group: identities.join(',') },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'https://alertmanager.scale.example',
    alerts: identities.map((identity) => alert(identity, status)),
  };
}

let sequence = 0;

export function signedAlerts(secret: string, kind: SignedRequest['kind'], identities: number[]): SignedRequest {
  const body = Buffer.from(JSON.stringify(alertGroup(identities, kind === 'resolved' ? 'resolved' : 'firing')));
  const messageId = `msg_scale_${kind}_${++sequence}`;
  const headers = { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, body, { id: messageId }) };
  return { messageId, kind, identities, body, headers };
}

/** How a request reaches the intake a second time as a transport retry (same message id and bytes). */
export type RetryMode = 'none' | 'after-answer' | 'concurrent';

export interface Unit {
  firing: SignedRequest;
  retry: RetryMode;
  /** Alertmanager's repeat of the whole group under a new message id: an identity repeat that changes nothing. */
  repeat?: SignedRequest;
  /** Sent once the firing request was answered: a later status of the same identities. */
  resolved: SignedRequest[];
}

/**
 * The main stream: `identities` alerts, every third pair of them grouped into one request; a quarter repeated,
 * half of them resolved later; every third request retried by the transport, either after its answer or at once.
 */
export function mainStream(secret: string, identities: number): Unit[] {
  const units: Unit[] = [];
  for (let identity = 0; identity < identities; identity++) {
    const grouped = identity % 6 === 0 && identity + 1 < identities;
    const members = grouped ? [identity, identity + 1] : [identity];
    const index = units.length;
    units.push({
      firing: signedAlerts(secret, 'firing', members),
      retry: index % 3 === 1 ? 'after-answer' : index % 3 === 2 ? 'concurrent' : 'none',
      repeat: identity % 4 === 1 ? signedAlerts(secret, 'repeat', members) : undefined,
      resolved: members.filter((member) => member % 2 === 0).map((member) => signedAlerts(secret, 'resolved', [member])),
    });
    if (grouped) identity++;
  }
  return units;
}
