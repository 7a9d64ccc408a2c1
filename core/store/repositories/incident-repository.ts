import type { CanonicalIncident } from '../../incident/canonical-incident';
import type { SqlClient, SqlRead, SqlValue } from '../sql-client';
import type { IncidentRecord, ProvenanceRecord, RegulatoryMilestones } from '../records';
import { fromFlag, fromJson, toFlag, toJson, toNumber, toNumberOrNull } from './row-values';

type IncidentRow = Record<string, unknown>;

export function toIncident(row: IncidentRow): IncidentRecord {
  return {
    id: String(row.id),
    tenant: String(row.tenant),
    dedupeKey: String(row.dedupe_key),
    sourceId: String(row.source_id),
    provider: String(row.provider),
    title: String(row.title),
    severity: row.severity as IncidentRecord['severity'],
    status: row.status as IncidentRecord['status'],
    canonical: fromJson<CanonicalIncident>(row.canonical),
    version: toNumber(row.version),
    owner: (row.owner as string | null) ?? null,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    lastSeenAt: toNumber(row.last_seen_at),
    resolvedAt: toNumberOrNull(row.resolved_at),
    lastEventAt: toNumberOrNull(row.last_event_at),
    becameAwareAt: toNumber(row.became_aware_at),
    doraMajor: fromFlag(row.dora_major),
    doraClassifiedAt: toNumberOrNull(row.dora_classified_at),
    nis2Significant: fromFlag(row.nis2_significant),
    nis2ClassifiedAt: toNumberOrNull(row.nis2_classified_at),
    milestones: fromJson<RegulatoryMilestones>(row.regulatory_milestones),
  };
}

function toProvenance(row: Record<string, unknown>): ProvenanceRecord {
  return {
    incidentId: String(row.incident_id),
    eventId: String(row.event_id),
    receiptId: String(row.receipt_id),
    bodySha256: String(row.body_sha256),
    mappingVersion: String(row.mapping_version),
    role: row.role as ProvenanceRecord['role'],
    at: toNumber(row.at),
  };
}

export interface IncidentListQuery {
  /** `active` = not resolved; `recent` = anything updated since `since`. */
  view: 'active' | 'recent';
  since?: number;
  limit?: number;
}

export interface Classification {
  doraMajor: boolean;
  doraClassifiedAt: number | null;
  nis2Significant: boolean;
  nis2ClassifiedAt: number | null;
}

/** SET clause taking two copies of an event time (or null): the later of it and the stored one. */
const LATEST_EVENT_AT = 'last_event_at = CASE WHEN last_event_at IS NULL OR last_event_at < CAST(? AS BIGINT) THEN COALESCE(CAST(? AS BIGINT), last_event_at) ELSE last_event_at END';

const INSERT_INCIDENT = `INSERT INTO incidents (id, tenant, dedupe_key, source_id, provider, title, severity, status, canonical, version, owner,
    created_at, updated_at, last_seen_at, resolved_at, became_aware_at, dora_major, dora_classified_at, nis2_significant,
    nis2_classified_at, regulatory_milestones, last_event_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (tenant, dedupe_key) DO NOTHING`;

function incidentValues(incident: IncidentRecord): SqlValue[] {
  return [
    incident.id,
    incident.tenant,
    incident.dedupeKey,
    incident.sourceId,
    incident.provider,
    incident.title,
    incident.severity,
    incident.status,
    toJson(incident.canonical),
    incident.version,
    incident.owner,
    incident.createdAt,
    incident.updatedAt,
    incident.lastSeenAt,
    incident.resolvedAt,
    incident.becameAwareAt,
    toFlag(incident.doraMajor),
    incident.doraClassifiedAt,
    toFlag(incident.nis2Significant),
    incident.nis2ClassifiedAt,
    toJson(incident.milestones),
    incident.lastEventAt ?? null,
  ];
}

/** The guarded update of {@link IncidentRepository.applyUpdate}. */
function updateStatement(tenant: string, id: string, expectedVersion: number, canonical: CanonicalIncident, now: number, eventAt: number | null): { sql: string; params: SqlValue[] } {
  const resolvedAt = canonical.status === 'resolved' ? now : null;
  return {
    sql: `UPDATE incidents SET canonical = ?, title = ?, severity = ?, status = ?, version = version + 1, updated_at = ?, last_seen_at = ?,
        resolved_at = CASE WHEN CAST(? AS BIGINT) IS NULL THEN NULL ELSE COALESCE(resolved_at, ?) END, ${LATEST_EVENT_AT}
      WHERE tenant = ? AND id = ? AND version = ?`,
    params: [toJson(canonical), canonical.title, canonical.severity, canonical.status, now, now, resolvedAt, resolvedAt, eventAt, eventAt, tenant, id, expectedVersion],
  };
}

export class IncidentRepository {
  constructor(private readonly sql: SqlClient) {}

  async get(tenant: string, id: string): Promise<IncidentRecord | undefined> {
    const row = await this.sql.get<IncidentRow>('SELECT * FROM incidents WHERE tenant = ? AND id = ?', [tenant, id]);
    return row ? toIncident(row) : undefined;
  }

  /**
   * Serialises every decision about one incident identity (intake folding or updating, promote, reject) until
   * the transaction ends. Under READ COMMITTED the unique constraint alone lets two writers both see "nothing
   * pending" or fold a newer version into an event a reviewer is promoting at that moment.
   */
  async lockIdentity(tenant: string, dedupeKey: string): Promise<void> {
    await this.sql.queueLock(`identity:${tenant}:${dedupeKey}`);
  }

  async getByDedupeKey(tenant: string, dedupeKey: string): Promise<IncidentRecord | undefined> {
    const read = this.getByDedupeKeyRead(tenant, dedupeKey);
    return read.parse(await this.sql.all(read.sql, read.params));
  }

  /** {@link getByDedupeKey} as a read to send with others. */
  getByDedupeKeyRead(tenant: string, dedupeKey: string): SqlRead<IncidentRecord | undefined> {
    return {
      sql: 'SELECT * FROM incidents WHERE tenant = ? AND dedupe_key = ?',
      params: [tenant, dedupeKey],
      parse: ([row]) => (row ? toIncident(row) : undefined),
    };
  }

  /** Inserts a new incident. Returns false when one with the same identity already exists (nothing written). */
  async insert(incident: IncidentRecord): Promise<boolean> {
    const result = await this.sql.run(INSERT_INCIDENT, incidentValues(incident));
    return result.changes === 1;
  }

  /**
   * {@link insert} for an identity this unit of work holds the lock of and read no incident for: queued with
   * its other writes; should another writer have inserted it all the same, the unit of work is run again.
   */
  async insertNew(incident: IncidentRecord): Promise<void> {
    await this.sql.queueExpectingChange(INSERT_INCIDENT, incidentValues(incident), `incident ${incident.dedupeKey}`);
  }

  /**
   * {@link applyUpdate} of an incident as this unit of work read it, queued with its other writes (run again
   * when its version moved meanwhile). Returns the incident as the update leaves it, computed as the UPDATE does.
   */
  async applyUpdateNew(existing: IncidentRecord, canonical: CanonicalIncident, now: number, eventAt: number | null = null): Promise<IncidentRecord> {
    const { sql, params } = updateStatement(existing.tenant, existing.id, existing.version, canonical, now, eventAt);
    await this.sql.queueExpectingChange(sql, params, `incident ${existing.id} version ${existing.version}`);
    const latest = existing.lastEventAt;
    return {
      ...existing,
      canonical,
      title: canonical.title,
      severity: canonical.severity,
      status: canonical.status,
      version: existing.version + 1,
      updatedAt: now,
      lastSeenAt: now,
      resolvedAt: canonical.status === 'resolved' ? (existing.resolvedAt ?? now) : null,
      lastEventAt: latest === null || (eventAt !== null && latest < eventAt) ? (eventAt ?? latest) : latest,
    };
  }

  /**
   * Applies a newer canonical version; `expectedVersion` makes concurrent updates fail instead of overwriting.
   * `eventAt` (the event's own time, epoch ms) only ever moves the incident's latest event time forward.
   */
  async applyUpdate(tenant: string, id: string, expectedVersion: number, canonical: CanonicalIncident, now: number, eventAt: number | null = null): Promise<boolean> {
    const { sql, params } = updateStatement(tenant, id, expectedVersion, canonical, now, eventAt);
    const result = await this.sql.run(sql, params);
    return result.changes === 1;
  }

  /** A repeat that changed nothing: refreshes "last seen" and moves the latest event time forward. */
  async touch(tenant: string, id: string, now: number, eventAt: number | null = null): Promise<void> {
    await this.sql.queue(`UPDATE incidents SET last_seen_at = ?, ${LATEST_EVENT_AT} WHERE tenant = ? AND id = ?`, [now, eventAt, eventAt, tenant, id]);
  }

  async setOwner(tenant: string, id: string, owner: string | null, now: number): Promise<void> {
    await this.sql.run('UPDATE incidents SET owner = ?, updated_at = ? WHERE tenant = ? AND id = ?', [owner, now, tenant, id]);
  }

  async classify(tenant: string, id: string, classification: Classification, now: number): Promise<void> {
    await this.sql.run(
      `UPDATE incidents SET dora_major = ?, dora_classified_at = ?, nis2_significant = ?, nis2_classified_at = ?, updated_at = ?
       WHERE tenant = ? AND id = ?`,
      [
        toFlag(classification.doraMajor),
        classification.doraClassifiedAt,
        toFlag(classification.nis2Significant),
        classification.nis2ClassifiedAt,
        now,
        tenant,
        id,
      ],
    );
  }

  async setBecameAware(tenant: string, id: string, at: number, now: number): Promise<void> {
    await this.sql.run('UPDATE incidents SET became_aware_at = ?, updated_at = ? WHERE tenant = ? AND id = ?', [at, now, tenant, id]);
  }

  async setMilestones(tenant: string, id: string, milestones: RegulatoryMilestones, now: number): Promise<void> {
    await this.sql.run('UPDATE incidents SET regulatory_milestones = ?, updated_at = ? WHERE tenant = ? AND id = ?', [toJson(milestones), now, tenant, id]);
  }

  async list(tenant: string, query: IncidentListQuery): Promise<IncidentRecord[]> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const rows =
      query.view === 'active'
        ? await this.sql.all<IncidentRow>("SELECT * FROM incidents WHERE tenant = ? AND status <> 'resolved' ORDER BY updated_at DESC LIMIT ?", [tenant, limit])
        : await this.sql.all<IncidentRow>('SELECT * FROM incidents WHERE tenant = ? AND updated_at >= ? ORDER BY updated_at DESC LIMIT ?', [
            tenant,
            query.since ?? 0,
            limit,
          ]);
    return rows.map(toIncident);
  }

  async addProvenance(tenant: string, record: ProvenanceRecord): Promise<void> {
    await this.sql.queue(
      `INSERT INTO incident_provenance (incident_id, event_id, tenant, receipt_id, body_sha256, mapping_version, role, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [record.incidentId, record.eventId, tenant, record.receiptId, record.bodySha256, record.mappingVersion, record.role, record.at],
    );
  }

  async provenance(tenant: string, incidentId: string): Promise<ProvenanceRecord[]> {
    const rows = await this.sql.all<Record<string, unknown>>(
      'SELECT * FROM incident_provenance WHERE tenant = ? AND incident_id = ? ORDER BY at, event_id',
      [tenant, incidentId],
    );
    return rows.map(toProvenance);
  }
}
