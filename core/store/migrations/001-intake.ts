import { columnTypes, type Migration } from './migration';

/** Sources, receipts (one per HTTP request), events (one per candidate), incidents, evidence, counters, audit. */
export const intakeSchema: Migration = {
  version: 1,
  name: 'intake',
  up(dialect) {
    const { blob, serialKey } = columnTypes(dialect);
    const auditGuard =
      dialect === 'sqlite'
        ? `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be edited'); END;
           CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be edited'); END;`
        : `CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'the audit trail cannot be edited'; END $$;
           CREATE TRIGGER audit_no_edit BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();`;
    return `
      CREATE TABLE sources (
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        provider TEXT NOT NULL,
        name TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        disabled_reason TEXT,
        disabled_at BIGINT,
        last_error TEXT,
        last_error_at BIGINT,
        test_passed_at BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (tenant, id)
      );
      CREATE TABLE receipts (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        source_id TEXT NOT NULL,
        replay_key TEXT NOT NULL,
        message_id TEXT,
        received_at BIGINT NOT NULL,
        body_sha256 TEXT NOT NULL,
        body ${blob},
        content_type TEXT,
        http_status INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        response TEXT NOT NULL,
        UNIQUE (tenant, source_id, replay_key)
      );
      CREATE INDEX receipts_by_time ON receipts (tenant, received_at);
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        source_id TEXT NOT NULL,
        receipt_id TEXT NOT NULL REFERENCES receipts (id),
        position INTEGER NOT NULL,
        state TEXT NOT NULL,
        reasons TEXT NOT NULL,
        candidate TEXT,
        dedupe_key TEXT,
        incident_id TEXT,
        mapping_version TEXT,
        received_at BIGINT NOT NULL,
        decided_at BIGINT,
        decided_by TEXT,
        decision_reason TEXT
      );
      CREATE INDEX events_by_state ON events (tenant, state, received_at);
      CREATE INDEX events_by_source ON events (tenant, source_id, state, received_at);
      CREATE INDEX events_by_dedupe_key ON events (tenant, dedupe_key, state);
      CREATE INDEX events_by_receipt ON events (receipt_id);
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        dedupe_key TEXT NOT NULL,
        source_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        title TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        canonical TEXT NOT NULL,
        version INTEGER NOT NULL,
        owner TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        resolved_at BIGINT,
        became_aware_at BIGINT NOT NULL,
        dora_major INTEGER NOT NULL DEFAULT 0,
        dora_classified_at BIGINT,
        nis2_significant INTEGER NOT NULL DEFAULT 0,
        nis2_classified_at BIGINT,
        regulatory_milestones TEXT NOT NULL DEFAULT '{}',
        UNIQUE (tenant, dedupe_key)
      );
      CREATE INDEX incidents_by_status ON incidents (tenant, status, updated_at);
      CREATE TABLE incident_provenance (
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        event_id TEXT NOT NULL,
        tenant TEXT NOT NULL,
        receipt_id TEXT NOT NULL,
        body_sha256 TEXT NOT NULL,
        mapping_version TEXT NOT NULL,
        role TEXT NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (incident_id, event_id)
      );
      CREATE TABLE evidence (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        note TEXT,
        added_by TEXT NOT NULL,
        added_at BIGINT NOT NULL
      );
      CREATE INDEX evidence_by_incident ON evidence (incident_id);
      CREATE TABLE counters (
        tenant TEXT NOT NULL,
        name TEXT NOT NULL,
        window_start BIGINT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (tenant, name, window_start)
      );
      CREATE TABLE audit (
        seq ${serialKey},
        tenant TEXT NOT NULL,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject_type TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_by_subject ON audit (tenant, subject_type, subject_id, seq);
      ${auditGuard}
    `;
  },
};
