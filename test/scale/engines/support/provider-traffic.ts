import { randomUUID } from 'node:crypto';
import { signRequest } from '../../../../core/signing';
import { fingerprint, signedAlerts } from '../../support/alert-stream';

/** How a request reaches the cluster a second time: not at all, once answered, or at the same moment (to another instance). */
export type RetryMode = 'none' | 'after-answer' | 'concurrent';

/** One signed request as a provider sends it, and what it carries. */
export interface ProviderRequest {
  path: string;
  tenant: string;
  sourceId: string;
  kind: 'firing' | 'resolved' | 'repeat' | 'created' | 'flood';
  /** The external ids of the events it carries, in order. */
  externalIds: string[];
  body: Buffer;
  headers: Record<string, string>;
  retry: RetryMode;
}

export interface SourceSecrets {
  alertmanager: string;
  jira: string;
  pagerduty: string;
  generic: string;
}

/** The sources every engine's flow or workflow defines, with the paths the test sends to. */
export const SOURCES = {
  alertmanager: { tenant: 'acme', id: 'alertmanager-prod', provider: 'alertmanager', scheme: 'standard-webhooks', mode: 'review' },
  jira: { tenant: 'acme', id: 'jira-prod', provider: 'jira', scheme: 'hub-sha256', mode: 'auto-create' },
  pagerduty: { tenant: 'acme', id: 'pagerduty-prod', provider: 'pagerduty', scheme: 'pagerduty', mode: 'auto-create' },
  generic: { tenant: 'thrifty', id: 'generic-flood', provider: 'generic', scheme: 'standard-webhooks', mode: 'review' },
} as const;

const retryFor = (index: number): RetryMode => (index % 3 === 1 ? 'after-answer' : index % 3 === 2 ? 'concurrent' : 'none');

/**
 * Alertmanager groups of `groupSize` alerts: every group fires, a quarter is repeated by Alertmanager under a
 * new message id, half is resolved later. Returns the firing wave and the later wave.
 */
export function alertmanagerTraffic(secret: string, path: string, identities: number, groupSize: number): { firing: ProviderRequest[]; later: ProviderRequest[] } {
  const firing: ProviderRequest[] = [];
  const later: ProviderRequest[] = [];
  const wrap = (signed: ReturnType<typeof signedAlerts>, retry: RetryMode): ProviderRequest => ({
    path,
    tenant: SOURCES.alertmanager.tenant,
    sourceId: SOURCES.alertmanager.id,
    kind: signed.kind === 'repeat' ? 'repeat' : signed.kind === 'resolved' ? 'resolved' : 'firing',
    externalIds: signed.identities.map(fingerprint),
    body: signed.body,
    headers: signed.headers,
    retry,
  });
  for (let start = 0, group = 0; start < identities; start += groupSize, group++) {
    const members = Array.from({ length: Math.min(groupSize, identities - start) }, (_, n) => start + n);
    firing.push(wrap(signedAlerts(secret, 'firing', members), retryFor(group)));
    if (group % 4 === 1) later.push(wrap(signedAlerts(secret, 'repeat', members), 'none'));
    if (group % 2 === 0) later.push(wrap(signedAlerts(secret, 'resolved', members), retryFor(group + 1)));
  }
  return { firing, later };
}

/** Jira Cloud issue_created webhooks (hub-sha256 over the body; a retry is the same bytes). */
export function jiraTraffic(secret: string, path: string, count: number): ProviderRequest[] {
  return Array.from({ length: count }, (_, n) => {
    const id = String(50_000 + n);
    const body = Buffer.from(
      JSON.stringify({
        timestamp: Date.now(),
        webhookEvent: 'jira:issue_created',
        issue: {
          id,
          key: `OPS-${id}`,
          self: `https://acme.atlassian.net/rest/api/2/issue/${id}`,
          fields: { summary: `Checkout fails for shard ${n}`, created: '2026-03-02T08:30:00.000+0000', priority: { name: 'High' }, status: { name: 'Open', statusCategory: { key: 'new' } }, resolution: null },
        },
      }),
    );
    return { path, tenant: SOURCES.jira.tenant, sourceId: SOURCES.jira.id, kind: 'created', externalIds: [id], body, headers: { 'content-type': 'application/json', ...signRequest('hub-sha256', secret, body) }, retry: retryFor(n) };
  });
}

/** PagerDuty v3 incident.triggered (or, for every other one, incident.resolved) webhooks; x-webhook-id names a retry. */
export function pagerDutyTraffic(secret: string, path: string, count: number, resolved = false): ProviderRequest[] {
  const numbers = Array.from({ length: count }, (_, n) => n).filter((n) => !resolved || n % 2 === 0);
  return numbers.map((n) => {
    const id = `PSCALE${n}`;
    const body = Buffer.from(
      JSON.stringify({
        event: {
          id: `evt-${id}`,
          event_type: resolved ? 'incident.resolved' : 'incident.triggered',
          resource_type: 'incident',
          occurred_at: '2026-03-02T08:30:00.000Z',
          data: { id, type: 'incident', title: `Disk full on db-${n}`, urgency: 'high', status: resolved ? 'resolved' : 'triggered', priority: { summary: 'P1' }, html_url: `https://acme.pagerduty.com/incidents/${id}`, created_at: '2026-03-02T08:30:00.000Z', service: { summary: 'Core DB' } },
        },
      }),
    );
    const headers = { 'content-type': 'application/json', ...signRequest('pagerduty', secret, body), 'x-webhook-id': randomUUID() };
    return { path, tenant: SOURCES.pagerduty.tenant, sourceId: SOURCES.pagerduty.id, kind: resolved ? 'resolved' : 'created', externalIds: [id], body, headers, retry: retryFor(n) };
  });
}

/** Single-event generic webhooks for the tenant whose daily budget is smaller than what it is sent. */
export function floodTraffic(secret: string, path: string, count: number): ProviderRequest[] {
  return Array.from({ length: count }, (_, n) => {
    const id = `FLOOD-${n}`;
    const body = Buffer.from(JSON.stringify({ type: 'incident.created', timestamp: '2026-03-02T08:30:00.000Z', data: { id, title: `Noisy check ${n}`, severity: 'low', status: 'open' } }));
    const headers = { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, body, { id: `msg_flood_${randomUUID()}` }) };
    return { path, tenant: SOURCES.generic.tenant, sourceId: SOURCES.generic.id, kind: 'flood', externalIds: [id], body, headers, retry: n % 5 === 0 ? 'concurrent' : 'none' };
  });
}
