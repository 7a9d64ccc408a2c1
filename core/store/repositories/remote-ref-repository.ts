import type { SqlClient } from '../sql-client';

/** Ids a remote system handed back for an incident, per destination (e.g. `incident_io.incident_id`). */
export class RemoteRefRepository {
  constructor(private readonly sql: SqlClient) {}

  async set(tenant: string, destinationId: string, incidentId: string, name: string, value: string, now: number): Promise<void> {
    await this.sql.run(
      `INSERT INTO delivery_remote_refs (tenant, destination_id, incident_id, name, value, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, destination_id, incident_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [tenant, destinationId, incidentId, name, value, now],
    );
  }

  async forIncident(tenant: string, destinationId: string, incidentId: string): Promise<Record<string, string>> {
    const rows = await this.sql.all<{ name: string; value: string }>(
      'SELECT name, value FROM delivery_remote_refs WHERE tenant = ? AND destination_id = ? AND incident_id = ? ORDER BY name',
      [tenant, destinationId, incidentId],
    );
    return Object.fromEntries(rows.map((row) => [String(row.name), String(row.value)]));
  }

  /** {@link forIncident} for several incidents of one destination in one query; incidents without ids are absent. */
  async forIncidents(tenant: string, destinationId: string, incidentIds: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const byIncident = new Map<string, Record<string, string>>();
    const unique = [...new Set(incidentIds)];
    if (unique.length === 0) return byIncident;
    const rows = await this.sql.all<{ incident_id: string; name: string; value: string }>(
      `SELECT incident_id, name, value FROM delivery_remote_refs WHERE tenant = ? AND destination_id = ? AND incident_id IN (${unique.map(() => '?').join(', ')})
       ORDER BY incident_id, name`,
      [tenant, destinationId, ...unique],
    );
    for (const row of rows) {
      const refs = byIncident.get(String(row.incident_id)) ?? {};
      refs[String(row.name)] = String(row.value);
      byIncident.set(String(row.incident_id), refs);
    }
    return byIncident;
  }
}
