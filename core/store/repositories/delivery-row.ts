import type { DeliveryRecord, DeliveryState } from '../delivery-records';
import { fromJson, toNumber, toNumberOrNull } from './row-values';

export type DeliveryRow = Record<string, unknown>;

export function toDelivery(row: DeliveryRow): DeliveryRecord {
  return {
    id: String(row.id),
    tenant: String(row.tenant),
    destinationId: String(row.destination_id),
    incidentId: String(row.incident_id),
    eventVersion: toNumber(row.event_version),
    eventKind: String(row.event_kind),
    idempotencyKey: String(row.idempotency_key),
    payload: fromJson(row.payload),
    state: row.state as DeliveryState,
    attempts: toNumber(row.attempts),
    totalAttempts: toNumber(row.total_attempts),
    replays: toNumber(row.replays),
    nextAttemptAt: toNumberOrNull(row.next_attempt_at),
    leaseOwner: (row.lease_owner as string | null) ?? null,
    leaseExpiresAt: toNumberOrNull(row.lease_expires_at),
    lastStatus: toNumberOrNull(row.last_status),
    lastError: (row.last_error as string | null) ?? null,
    remoteId: (row.remote_id as string | null) ?? null,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    deliveredAt: toNumberOrNull(row.delivered_at),
    deadLetteredAt: toNumberOrNull(row.dead_lettered_at),
  };
}
