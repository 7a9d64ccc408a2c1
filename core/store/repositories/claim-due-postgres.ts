import type { SqlClient } from '../sql-client';
import { EARLIER_PENDING, LEASE_EXPIRED, SCHEDULED_DUE, type ClaimedDelivery, type ClaimRequest } from './delivery-repository';
import { toDelivery, type DeliveryRow } from './delivery-row';
import { toNumber } from './row-values';

/** Due rows of one kind, locked (rows another claimer holds are skipped), with what they were before the claim. */
function dueRows(due: string, priority: number, fifo: string): string {
  return `SELECT d.id, ${priority} AS priority, d.next_attempt_at, d.created_at, d.state AS was_state, d.total_attempts AS was_total_attempts,
      d.lease_owner AS was_lease_owner, d.lease_expires_at AS was_lease_expires_at, d.updated_at AS was_updated_at
    FROM deliveries d WHERE d.tenant = ? AND d.destination_id = ? AND ${due}${fifo}
    ORDER BY d.next_attempt_at, d.created_at LIMIT ? FOR UPDATE SKIP LOCKED`;
}

type ClaimedRow = DeliveryRow & { priority: unknown; was_state: unknown; was_total_attempts: unknown; was_lease_owner: unknown; was_lease_expires_at: unknown; was_updated_at: unknown };

/**
 * PostgreSQL's claim in one statement (one round trip instead of three): expired leases first, then scheduled
 * deliveries that are due, each in their usual order, locked, leased and returned with their state before.
 */
export async function claimDuePostgres(sql: SqlClient, request: ClaimRequest): Promise<ClaimedDelivery[]> {
  const fifo = request.perIncidentOrder ? ` AND ${EARLIER_PENDING}` : '';
  const { tenant, destinationId, now, limit } = request;
  const rows = await sql.all<ClaimedRow>(
    `WITH expired AS (${dueRows(LEASE_EXPIRED, 0, fifo)}), due AS (${dueRows(SCHEDULED_DUE, 1, fifo)}),
       picked AS (SELECT * FROM expired UNION ALL SELECT * FROM due ORDER BY priority, next_attempt_at, created_at LIMIT ?)
     UPDATE deliveries SET state = 'in_flight', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1,
       total_attempts = total_attempts + 1, updated_at = ?
     FROM picked WHERE deliveries.id = picked.id
     RETURNING deliveries.*, picked.priority, picked.was_state, picked.was_total_attempts, picked.was_lease_owner,
       picked.was_lease_expires_at, picked.was_updated_at`,
    [tenant, destinationId, now, limit, tenant, destinationId, now, limit, limit, request.owner, request.leaseExpiresAt, now],
  );
  return rows.sort(claimOrder).map((row) => ({ delivery: toDelivery(row), interrupted: interruptedAttempt(row) }));
}

function claimOrder(a: ClaimedRow, b: ClaimedRow): number {
  return toNumber(a.priority) - toNumber(b.priority) || toNumber(a.next_attempt_at) - toNumber(b.next_attempt_at) || toNumber(a.created_at) - toNumber(b.created_at);
}

function interruptedAttempt(row: ClaimedRow): ClaimedDelivery['interrupted'] {
  if (row.was_state !== 'in_flight') return null;
  return {
    number: toNumber(row.was_total_attempts),
    owner: (row.was_lease_owner as string | null) ?? null,
    claimedAt: toNumber(row.was_updated_at),
    leaseExpiredAt: toNumber(row.was_lease_expires_at),
  };
}
