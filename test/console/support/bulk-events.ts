import type { SqlDatabase } from '../../../core/store';

/**
 * Writes `count` events of tenant acme in one statement (a recursive CTE), as a store that has been running
 * for a while holds them: five sources, 60 % pending, 30 % promoted, 10 % quarantined, several events per
 * millisecond (so the id tie-break of the keyset matters). Returns the time of the newest event.
 */
export async function insertEvents(database: SqlDatabase, count: number, start = Date.parse('2026-11-01T00:00:00Z')): Promise<number> {
  await database.transaction(async (client) => {
    await client.run(
      `INSERT INTO receipts (id, tenant, source_id, replay_key, message_id, received_at, body_sha256, body, content_type, http_status, outcome, response)
       VALUES ('rcp_bulk', 'acme', 'src-0', 'bulk', NULL, ?, 'bulk', ?, 'application/json', 202, 'accepted', '{}')`,
      [start, Buffer.from('{"title":"bulk"}')],
    );
    await client.run(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO events (id, tenant, source_id, receipt_id, position, state, reasons, candidate, dedupe_key, incident_id, mapping_version, received_at)
       SELECT printf('evt_bulk_%08d', i), 'acme', 'src-' || (i % 5), 'rcp_bulk', 0,
         CASE WHEN i % 10 = 0 THEN 'quarantined' WHEN i % 10 IN (1, 4, 7) THEN 'promoted' ELSE 'pending_review' END,
         CASE WHEN i % 10 = 0 THEN '[{"field":"severity","message":"is required"}]' ELSE '[]' END,
         json_object('title', 'Bulk event ' || i, 'severity', 'high', 'status', 'open', 'detectedAt', '2026-11-01T00:00:00.000Z'),
         'bulk-' || i, NULL, 'bulk-1', ? + (i / 3)
       FROM n`,
      [count, start],
    );
  });
  return start + Math.floor(count / 3);
}
