import type { Migration } from './migration';

/** Each regulatory report submitted for an incident: kind, when, by whom, the authority's reference, evidence. */
export const regulatoryReports: Migration = {
  version: 9,
  name: 'regulatory-reports',
  up: () => `
    CREATE TABLE regulatory_reports (
      id TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      incident_id TEXT NOT NULL REFERENCES incidents (id),
      kind TEXT NOT NULL,
      submitted_at BIGINT NOT NULL,
      submitted_by TEXT NOT NULL,
      reference TEXT,
      evidence_ids TEXT NOT NULL,
      note TEXT,
      recorded_at BIGINT NOT NULL
    );
    CREATE INDEX regulatory_reports_by_incident ON regulatory_reports (tenant, incident_id, submitted_at);
  `,
};
