import type { IncidentRecord } from '../../../core/store/records';

const AT = Date.parse('2026-11-23T10:00:00.000Z');

/** An incident as intake stores it, for enqueuing deliveries without running intake first. */
export function incidentRecord(id: string, tenant = 'crash', version = 1): IncidentRecord {
  return {
    id,
    tenant,
    dedupeKey: `generic::${id}`,
    sourceId: 'crash-src',
    provider: 'generic',
    title: `Checkout failing (${id})`,
    severity: 'high',
    status: 'open',
    canonical: { provider: 'generic', externalId: id, dedupeKey: `generic::${id}`, title: `Checkout failing (${id})`, detectedAt: '2026-11-23T10:00:00.000Z', detectedAtSource: 'payload', severity: 'high', status: 'open', affectedSystems: ['checkout'], regulatoryRefs: [], raw: {} },
    version,
    owner: null,
    createdAt: AT,
    updatedAt: AT,
    lastSeenAt: AT,
    resolvedAt: null,
    lastEventAt: null,
    becameAwareAt: AT,
    doraMajor: false,
    doraClassifiedAt: null,
    nis2Significant: false,
    nis2ClassifiedAt: null,
    milestones: {},
  };
}
