import type { SqlClient } from '../sql-client';
import type { EvidenceRecord } from '../records';
import { toNumber } from './row-values';

export class EvidenceRepository {
  constructor(private readonly sql: SqlClient) {}

  async add(record: EvidenceRecord): Promise<void> {
    await this.sql.run(
      'INSERT INTO evidence (id, tenant, incident_id, kind, value, note, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [record.id, record.tenant, record.incidentId, record.kind, record.value, record.note, record.addedBy, record.addedAt],
    );
  }

  async list(tenant: string, incidentId: string): Promise<EvidenceRecord[]> {
    const rows = await this.sql.all<Record<string, unknown>>('SELECT * FROM evidence WHERE tenant = ? AND incident_id = ? ORDER BY added_at, id', [
      tenant,
      incidentId,
    ]);
    return rows.map((row) => ({
      id: String(row.id),
      tenant: String(row.tenant),
      incidentId: String(row.incident_id),
      kind: row.kind as EvidenceRecord['kind'],
      value: String(row.value),
      note: (row.note as string | null) ?? null,
      addedBy: String(row.added_by),
      addedAt: toNumber(row.added_at),
    }));
  }
}
