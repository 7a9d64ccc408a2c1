import type { CanonicalIncident } from '../../../core/incident/canonical-incident';
import type { IncidentRecord } from '../../../core/store/records';

/** The Jira incident the incident.io contract examples describe. */
export const JIRA_SEC_142: CanonicalIncident = {
  provider: 'jira',
  instance: 'acme.atlassian.net',
  externalId: 'SEC-142',
  dedupeKey: 'jira:acme.atlassian.net:SEC-142',
  title: 'Payment API returning 503 for EU customers',
  detectedAt: '2024-06-10T08:39:58.456Z',
  detectedAtSource: 'payload',
  severity: 'critical',
  status: 'open',
  affectedSystems: ['payments-api', 'eu-west-1-edge'],
  regulatoryRefs: ['DORA Art.19', 'GDPR Art.33'],
  sourceUrl: 'https://acme.atlassian.net/browse/SEC-142',
  raw: { severity: 'Highest', status: 'To Do' },
};

export const DETECTED_AT = Date.parse('2024-06-10T08:40:00.000Z');
export const RESOLVED_AT = Date.parse('2024-06-10T11:55:12.700Z');

export function incidentRecord(overrides: Partial<IncidentRecord> = {}, canonical: Partial<CanonicalIncident> = {}): IncidentRecord {
  const merged = { ...JIRA_SEC_142, ...canonical };
  return {
    id: 'inc_01J02Z7Q3K8M5N2P4R6T8V0X2Z',
    tenant: 't1',
    dedupeKey: merged.dedupeKey,
    sourceId: 'jira-prod',
    provider: merged.provider,
    title: merged.title,
    severity: merged.severity,
    status: merged.status,
    canonical: merged,
    version: 1,
    owner: null,
    createdAt: DETECTED_AT,
    updatedAt: DETECTED_AT,
    lastSeenAt: DETECTED_AT,
    resolvedAt: merged.status === 'resolved' ? RESOLVED_AT : null,
    lastEventAt: null,
    becameAwareAt: DETECTED_AT,
    doraMajor: false,
    doraClassifiedAt: null,
    nis2Significant: false,
    nis2ClassifiedAt: null,
    milestones: {},
    ...overrides,
  };
}

/** The same incident at a later version, e.g. resolved. */
export function nextVersion(incident: IncidentRecord, canonical: Partial<CanonicalIncident>, at: number): IncidentRecord {
  const updated = { ...incident.canonical, ...canonical };
  return {
    ...incident,
    canonical: updated,
    status: updated.status,
    severity: updated.severity,
    title: updated.title,
    version: incident.version + 1,
    updatedAt: at,
    resolvedAt: updated.status === 'resolved' ? (incident.resolvedAt ?? RESOLVED_AT) : null,
  };
}
