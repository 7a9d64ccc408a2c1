import type { SqlClient } from '../sql-client';
import type { AttemptOutcome, DeliveryAttemptRecord } from '../delivery-records';
import { fromJson, toJson, toNumber, toNumberOrNull } from './row-values';

function toAttempt(row: Record<string, unknown>): DeliveryAttemptRecord {
  return {
    deliveryId: String(row.delivery_id),
    number: toNumber(row.number),
    tenant: String(row.tenant),
    destinationId: String(row.destination_id),
    startedAt: toNumber(row.started_at),
    durationMs: toNumber(row.duration_ms),
    httpStatus: toNumberOrNull(row.http_status),
    outcome: row.outcome as AttemptOutcome,
    reason: String(row.reason),
    summary: fromJson(row.summary),
  };
}

/** One row per attempt to send a delivery. The summary is already bounded and redacted by the caller. */
export class DeliveryAttemptRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Records an attempt; a second record for the same attempt number is ignored. */
  async insert(attempt: DeliveryAttemptRecord): Promise<void> {
    await this.insertRows([attempt]);
  }

  /** Records several attempts: one statement on PostgreSQL (one round trip), one per attempt on SQLite (in-process). */
  async insertMany(attempts: readonly DeliveryAttemptRecord[]): Promise<void> {
    if (this.sql.dialect === 'postgres') return this.insertRows(attempts);
    for (const attempt of attempts) await this.insertRows([attempt]);
  }

  private async insertRows(attempts: readonly DeliveryAttemptRecord[]): Promise<void> {
    if (attempts.length === 0) return;
    await this.sql.run(
      `INSERT INTO delivery_attempts (delivery_id, number, tenant, destination_id, started_at, duration_ms, http_status, outcome, reason, summary)
       VALUES ${attempts.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (delivery_id, number) DO NOTHING`,
      attempts.flatMap((attempt) => [
        attempt.deliveryId,
        attempt.number,
        attempt.tenant,
        attempt.destinationId,
        attempt.startedAt,
        Math.round(attempt.durationMs),
        attempt.httpStatus,
        attempt.outcome,
        attempt.reason,
        toJson(attempt.summary),
      ]),
    );
  }

  async forDelivery(tenant: string, deliveryId: string): Promise<DeliveryAttemptRecord[]> {
    const rows = await this.sql.all<Record<string, unknown>>('SELECT * FROM delivery_attempts WHERE tenant = ? AND delivery_id = ? ORDER BY number', [
      tenant,
      deliveryId,
    ]);
    return rows.map(toAttempt);
  }
}
