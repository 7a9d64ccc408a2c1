import { NotFoundError } from '../errors';
import { regulatoryDeadlines, type DeadlineOptions, type RegulatoryDeadlines } from '../regulatory/deadlines';
import type { AuditEntry, EvidenceRecord, IncidentRecord, ProvenanceRecord, RegulatoryReportRecord } from '../store/records';
import type { IncidentListQuery } from '../store/repositories/incident-repository';
import type { Store } from '../store/store';

export interface IncidentDetail {
  incident: IncidentRecord;
  provenance: ProvenanceRecord[];
  evidence: EvidenceRecord[];
  reports: RegulatoryReportRecord[];
  audit: AuditEntry[];
  deadlines: RegulatoryDeadlines;
}

/** An incident with where it came from (events, body hashes, mapping versions), its evidence, reports, audit and clocks. */
export async function getIncident(store: Store, tenant: string, incidentId: string, options: DeadlineOptions = {}): Promise<IncidentDetail> {
  return store.transaction(async (r) => {
    const incident = await r.incidents.get(tenant, incidentId);
    if (!incident) throw new NotFoundError('incident', incidentId);
    return {
      incident,
      provenance: await r.incidents.provenance(tenant, incidentId),
      evidence: await r.evidence.list(tenant, incidentId),
      reports: await r.regulatoryReports.list(tenant, incidentId),
      audit: await r.audit.forSubject(tenant, 'incident', incidentId),
      deadlines: deadlinesOf(incident, options),
    };
  });
}

export function deadlinesOf(incident: IncidentRecord, options: DeadlineOptions = {}): RegulatoryDeadlines {
  return regulatoryDeadlines(
    {
      becameAwareAt: incident.becameAwareAt,
      doraMajor: incident.doraMajor,
      doraClassifiedAt: incident.doraClassifiedAt,
      nis2Significant: incident.nis2Significant,
      ...incident.milestones,
    },
    options,
  );
}

/** Active (not resolved) incidents, or everything updated since a time. */
export function listIncidents(store: Store, tenant: string, query: IncidentListQuery): Promise<IncidentRecord[]> {
  return store.transaction((r) => r.incidents.list(tenant, query));
}
