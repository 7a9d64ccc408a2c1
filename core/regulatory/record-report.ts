import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { InvalidRequestError, NotFoundError } from '../errors';
import { newId } from '../ids';
import type { IncidentRecord, RegulatoryReportRecord } from '../store/records';
import type { Store } from '../store/store';
import { checkReport } from './check-report';
import { REPORT_RULES } from './report-kinds';
import { recordLifecycleEventIn } from '../lifecycle/record-lifecycle-event';

export interface ReportInput {
  /** One of REPORT_KINDS, e.g. `dora.initial`, `nis2.early_warning`. */
  kind: string;
  /** When it was submitted to the authority; defaults to now. */
  submittedAt?: number;
  /** The authority's reference for the submission. */
  reference?: string;
  /** Evidence already attached to the incident that went with the report. */
  evidenceIds?: readonly string[];
  note?: string;
}

export interface RecordedReport {
  report: RegulatoryReportRecord;
  incident: IncidentRecord;
}

/**
 * Records a regulatory report submission: checked against the rules and the incident's earlier reports,
 * stored with who submitted it, its reference and evidence, and audited; the incident's milestones move so
 * the next deadline runs from this submission. A refused report changes nothing.
 */
export async function recordReport(store: Store, tenant: string, incidentId: string, input: ReportInput, actor: string, clock: Clock = systemClock): Promise<RecordedReport> {
  const by = actor?.trim();
  if (!by) throw new InvalidRequestError('an actor is required');
  const now = clock.now();
  const submittedAt = input.submittedAt ?? now;
  const evidenceIds = [...new Set(input.evidenceIds ?? [])];
  return store.transaction(async (r) => {
    const incident = await r.incidents.get(tenant, incidentId);
    if (!incident) throw new NotFoundError('incident', incidentId);
    const earlier = await r.regulatoryReports.list(tenant, incidentId);
    const kind = checkReport({ kind: input.kind, submittedAt, evidenceIds }, { incident, earlier, evidence: await r.evidence.list(tenant, incidentId), now });
    const report: RegulatoryReportRecord = {
      id: newId('rpt'),
      tenant,
      incidentId,
      kind,
      submittedAt,
      submittedBy: by.slice(0, 200),
      reference: input.reference?.trim().slice(0, 200) || null,
      evidenceIds,
      note: input.note?.trim().slice(0, 10_000) || null,
      recordedAt: now,
    };
    await r.regulatoryReports.add(report);
    const milestone = REPORT_RULES[kind].milestone;
    await r.incidents.setMilestones(tenant, incidentId, { ...incident.milestones, [milestone]: Math.max(submittedAt, incident.milestones[milestone] ?? 0) }, now);
    await r.audit.append({
      tenant,
      at: now,
      actor: report.submittedBy,
      action: 'incident.report_submitted',
      subjectType: 'incident',
      subjectId: incidentId,
      details: { report: kind, reportId: report.id, submittedAt, reference: report.reference, evidenceIds },
    });
    const after = (await r.incidents.get(tenant, incidentId))!;
    const details = { reportId: report.id, report: kind, submittedAt, reference: report.reference, evidenceIds, note: report.note };
    await recordLifecycleEventIn(r, { kind: 'report.submitted', incident: after, actor: report.submittedBy, details }, now);
    return { report, incident: after };
  });
}

/** An incident's reports in submission order. */
export function listReports(store: Store, tenant: string, incidentId: string): Promise<RegulatoryReportRecord[]> {
  return store.transaction(async (r) => {
    if (!(await r.incidents.get(tenant, incidentId))) throw new NotFoundError('incident', incidentId);
    return r.regulatoryReports.list(tenant, incidentId);
  });
}
