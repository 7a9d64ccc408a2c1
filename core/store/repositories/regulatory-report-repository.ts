import type { SqlClient } from '../sql-client';
import type { RegulatoryReportRecord } from '../records';
import { fromJson, toJson, toNumber } from './row-values';

function toReport(row: Record<string, unknown>): RegulatoryReportRecord {
  return {
    id: String(row.id),
    tenant: String(row.tenant),
    incidentId: String(row.incident_id),
    kind: String(row.kind),
    submittedAt: toNumber(row.submitted_at),
    submittedBy: String(row.submitted_by),
    reference: (row.reference as string | null) ?? null,
    evidenceIds: fromJson<string[]>(row.evidence_ids),
    note: (row.note as string | null) ?? null,
    recordedAt: toNumber(row.recorded_at),
  };
}

/** Regulatory reports submitted per incident; append-only (a correction is a new report). */
export class RegulatoryReportRepository {
  constructor(private readonly sql: SqlClient) {}

  async add(report: RegulatoryReportRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO regulatory_reports (id, tenant, incident_id, kind, submitted_at, submitted_by, reference, evidence_ids, note, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [report.id, report.tenant, report.incidentId, report.kind, report.submittedAt, report.submittedBy, report.reference, toJson(report.evidenceIds), report.note, report.recordedAt],
    );
  }

  /** An incident's reports in the order they were submitted. */
  async list(tenant: string, incidentId: string): Promise<RegulatoryReportRecord[]> {
    const rows = await this.sql.all<Record<string, unknown>>('SELECT * FROM regulatory_reports WHERE tenant = ? AND incident_id = ? ORDER BY submitted_at, id', [tenant, incidentId]);
    return rows.map(toReport);
  }
}
