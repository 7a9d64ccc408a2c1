import { Client } from 'pg';
import { verifyAuditTrail, type AuditTrailVerification } from '../../../../core/audit/verify-trail';
import type { Store } from '../../../../core/store/store';

export interface IncidentRow {
  id: string;
  tenant: string;
  dedupeKey: string;
  sourceId: string;
  externalId: string;
  status: string;
  version: number;
}

export interface DeliveryRow {
  id: string;
  destinationId: string;
  incidentId: string;
  version: number;
  key: string;
  state: string;
  successes: number;
}

/** What the shared PostgreSQL database says after a run, read with plain SQL (the repositories page at 1,000 rows). */
export interface ClusterFacts {
  receipts: Array<{ id: string; tenant: string; sourceId: string; outcome: string; events: number }>;
  /** Events quarantined because their mapping overran its time limit (a wall-clock limit: a loaded host overruns it). */
  mappingOverruns: number;
  incidents: IncidentRow[];
  pending: number;
  deliveries: DeliveryRow[];
  /** event.promoted audit entries per event id. */
  promotions: Map<string, number>;
  /** The tenant-day counter of each tenant, summed over the days the run touched. */
  budgetCounts: Record<string, number>;
  audit: AuditTrailVerification[];
}

export async function readClusterFacts(url: string, store: Store, tenants: string[]): Promise<ClusterFacts> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const all = async <T>(sql: string, values: unknown[] = []) => (await client.query(sql, values)).rows as T[];
    const receipts = await all<{ id: string; tenant: string; source_id: string; outcome: string; events: string }>(
      'SELECT r.id, r.tenant, r.source_id, r.outcome, (SELECT count(*) FROM events e WHERE e.receipt_id = r.id) AS events FROM receipts r',
    );
    const [{ overruns }] = await all<{ overruns: string }>("SELECT count(*) AS overruns FROM events WHERE state = 'quarantined' AND reasons LIKE '%mapping exceeded%'");
    const incidents = await all<{ id: string; tenant: string; dedupe_key: string; source_id: string; external_id: string; status: string; version: number }>(
      "SELECT id, tenant, dedupe_key, source_id, (canonical::jsonb)->>'externalId' AS external_id, status, version FROM incidents",
    );
    const [{ pending }] = await all<{ pending: string }>("SELECT count(*) AS pending FROM events WHERE state = 'pending_review' AND tenant = 'acme'");
    const deliveries = await all<{ id: string; destination_id: string; incident_id: string; event_version: number; idempotency_key: string; state: string; successes: string }>(
      "SELECT d.id, d.destination_id, d.incident_id, d.event_version, d.idempotency_key, d.state, (SELECT count(*) FROM delivery_attempts a WHERE a.delivery_id = d.id AND a.outcome = 'success') AS successes FROM deliveries d",
    );
    const promoted = await all<{ subject_id: string; n: string }>("SELECT subject_id, count(*) AS n FROM audit WHERE action = 'event.promoted' GROUP BY subject_id");
    const counters = await all<{ tenant: string; n: string }>("SELECT tenant, sum(count) AS n FROM counters WHERE name = 'tenant-day' GROUP BY tenant");
    return {
      receipts: receipts.map((row) => ({ id: row.id, tenant: row.tenant, sourceId: row.source_id, outcome: row.outcome, events: Number(row.events) })),
      mappingOverruns: Number(overruns),
      incidents: incidents.map((row) => ({ id: row.id, tenant: row.tenant, dedupeKey: row.dedupe_key, sourceId: row.source_id, externalId: row.external_id, status: row.status, version: Number(row.version) })),
      pending: Number(pending),
      deliveries: deliveries.map((row) => ({ id: row.id, destinationId: row.destination_id, incidentId: row.incident_id, version: Number(row.event_version), key: row.idempotency_key, state: row.state, successes: Number(row.successes) })),
      promotions: new Map(promoted.map((row) => [row.subject_id, Number(row.n)])),
      budgetCounts: Object.fromEntries(counters.map((row) => [row.tenant, Number(row.n)])),
      audit: await Promise.all(tenants.map((tenant) => verifyAuditTrail(store, tenant))),
    };
  } finally {
    await client.end();
  }
}

/**
 * Whether the cluster has finished: nothing waits for review, nothing is queued or in flight, and every
 * incident version has reached each destination it is routed to.
 */
export async function clusterDrained(url: string, routes: (incident: IncidentRow) => string[]): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const pending = await client.query("SELECT 1 FROM events WHERE state = 'pending_review' AND tenant = 'acme' LIMIT 1");
    if (pending.rowCount) return false;
    const active = await client.query("SELECT 1 FROM deliveries WHERE state IN ('scheduled', 'in_flight') LIMIT 1");
    if (active.rowCount) return false;
    const incidents = (await client.query("SELECT id, tenant, dedupe_key AS \"dedupeKey\", source_id AS \"sourceId\", (canonical::jsonb)->>'externalId' AS \"externalId\", status, version FROM incidents WHERE tenant = 'acme'")).rows as IncidentRow[];
    const have = new Set((await client.query('SELECT destination_id, incident_id, event_version FROM deliveries')).rows.map((row) => `${row.destination_id}/${row.incident_id}@${row.event_version}`));
    return incidents.every((incident) => routes(incident).every((destination) => have.has(`${destination}/${incident.id}@${incident.version}`)));
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
