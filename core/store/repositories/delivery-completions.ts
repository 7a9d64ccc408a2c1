import type { SqlClient, SqlValue } from '../sql-client';
import type { DeliveryCompletion, LeaseToken } from './delivery-repository';

/** How one attempt ended, for the delivery it belongs to. */
export interface CompletionEntry {
  tenant: string;
  id: string;
  lease: LeaseToken;
  completion: DeliveryCompletion;
}

/** One row of the batch, typed for PostgreSQL (whose untyped parameters would otherwise be text). */
const ROW = `SELECT CAST(? AS TEXT) AS id, CAST(? AS TEXT) AS tenant, CAST(? AS TEXT) AS owner, CAST(? AS INTEGER) AS total_attempts,
  CAST(? AS TEXT) AS state, CAST(? AS BIGINT) AS next_attempt_at, CAST(? AS INTEGER) AS last_status, CAST(? AS TEXT) AS last_error,
  CAST(? AS TEXT) AS remote_id, CAST(? AS BIGINT) AS now, CAST(? AS BIGINT) AS delivered_at, CAST(? AS BIGINT) AS dead_lettered_at`;

function rowValues({ tenant, id, lease, completion }: CompletionEntry): SqlValue[] {
  const { state, now } = completion;
  return [
    id,
    tenant,
    lease.owner,
    lease.totalAttempts,
    state,
    completion.nextAttemptAt,
    completion.lastStatus,
    completion.lastError,
    completion.remoteId,
    now,
    state === 'delivered' ? now : null,
    state === 'dead_letter' ? now : null,
  ];
}

/**
 * Records how several attempts ended with one statement (one round trip on PostgreSQL). A delivery whose lease
 * is no longer held — someone reclaimed it — is left unchanged. Returns the ids of the deliveries updated.
 */
export async function completeDeliveries(sql: SqlClient, entries: readonly CompletionEntry[]): Promise<Set<string>> {
  if (entries.length === 0) return new Set();
  const rows = await sql.all<{ id: string }>(
    `UPDATE deliveries SET state = c.state, next_attempt_at = c.next_attempt_at, lease_owner = NULL, lease_expires_at = NULL,
       last_status = c.last_status, last_error = c.last_error, remote_id = COALESCE(c.remote_id, deliveries.remote_id), updated_at = c.now,
       delivered_at = c.delivered_at, dead_lettered_at = c.dead_lettered_at
     FROM (${entries.map(() => ROW).join(' UNION ALL ')}) AS c
     WHERE deliveries.id = c.id AND deliveries.tenant = c.tenant AND deliveries.state = 'in_flight'
       AND deliveries.lease_owner = c.owner AND deliveries.total_attempts = c.total_attempts
     RETURNING deliveries.id`,
    entries.flatMap(rowValues),
  );
  return new Set(rows.map((row) => String(row.id)));
}
