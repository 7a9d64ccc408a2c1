import type { SqlClient, SqlRead, SqlValue } from '../sql-client';
import type { ReceiptRecord } from '../records';
import { fromJson, toJson, toNumber } from './row-values';

type ReceiptRow = Record<string, unknown>;

const RECEIPT_COLUMNS = 'id, tenant, source_id, replay_key, message_id, received_at, body_sha256, content_type, http_status, outcome, response';

function toReceipt(row: ReceiptRow): ReceiptRecord {
  return {
    id: String(row.id),
    tenant: String(row.tenant),
    sourceId: String(row.source_id),
    replayKey: String(row.replay_key),
    messageId: (row.message_id as string | null) ?? null,
    receivedAt: toNumber(row.received_at),
    bodySha256: String(row.body_sha256),
    contentType: (row.content_type as string | null) ?? null,
    httpStatus: toNumber(row.http_status),
    outcome: String(row.outcome),
    response: fromJson(row.response),
  };
}

const INSERT_RECEIPT = `INSERT INTO receipts (${RECEIPT_COLUMNS}, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (tenant, source_id, replay_key) DO NOTHING`;

function receiptValues(receipt: ReceiptRecord, body: Buffer | null): SqlValue[] {
  return [
    receipt.id,
    receipt.tenant,
    receipt.sourceId,
    receipt.replayKey,
    receipt.messageId,
    receipt.receivedAt,
    receipt.bodySha256,
    receipt.contentType,
    receipt.httpStatus,
    receipt.outcome,
    toJson(receipt.response),
    body,
  ];
}

export class ReceiptRepository {
  constructor(private readonly sql: SqlClient) {}

  async findByReplayKey(tenant: string, sourceId: string, replayKey: string): Promise<ReceiptRecord | undefined> {
    const read = this.findByReplayKeyRead(tenant, sourceId, replayKey);
    return read.parse(await this.sql.all(read.sql, read.params));
  }

  /** {@link findByReplayKey} as a read to send with others. */
  findByReplayKeyRead(tenant: string, sourceId: string, replayKey: string): SqlRead<ReceiptRecord | undefined> {
    return {
      sql: `SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE tenant = ? AND source_id = ? AND replay_key = ?`,
      params: [tenant, sourceId, replayKey],
      parse: ([row]) => (row ? toReceipt(row) : undefined),
    };
  }

  async get(tenant: string, id: string): Promise<ReceiptRecord | undefined> {
    const row = await this.sql.get<ReceiptRow>(`SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE tenant = ? AND id = ?`, [tenant, id]);
    return row ? toReceipt(row) : undefined;
  }

  /** The exact bytes the sender signed, kept for audit and re-mapping. */
  async body(tenant: string, id: string): Promise<Buffer | undefined> {
    const row = await this.sql.get<{ body: Uint8Array | null }>('SELECT body FROM receipts WHERE tenant = ? AND id = ?', [tenant, id]);
    return row?.body ? Buffer.from(row.body) : undefined;
  }

  /**
   * Inserts unless the replay key is already known. Returns false for a replay (nothing written). The intake
   * leaves the body out here and writes it with the answer ({@link setAnswer}): SQLite rewrites a whole row on
   * UPDATE, so a body written with both statements would be written twice.
   */
  async insert(receipt: ReceiptRecord, body: Buffer | null = null): Promise<boolean> {
    const result = await this.sql.run(INSERT_RECEIPT, receiptValues(receipt, body));
    return result.changes === 1;
  }

  /**
   * {@link insert} for a receipt whose replay key this unit of work has just looked up and not found: queued
   * with the transaction's other writes. When a twin request committed the key in between, the unit of work is
   * run again (and then finds the twin's receipt).
   */
  async insertNew(receipt: ReceiptRecord): Promise<void> {
    await this.sql.queueExpectingChange(INSERT_RECEIPT, receiptValues(receipt, null), 'receipt replay key');
  }

  /** Records the answer the sender got, and the body when the insert left it out. */
  async setAnswer(id: string, httpStatus: number, outcome: string, response: Record<string, unknown>, body?: Buffer): Promise<void> {
    if (body === undefined) {
      await this.sql.queue('UPDATE receipts SET http_status = ?, outcome = ?, response = ? WHERE id = ?', [httpStatus, outcome, toJson(response), id]);
      return;
    }
    await this.sql.queue('UPDATE receipts SET http_status = ?, outcome = ?, response = ?, body = ? WHERE id = ?', [httpStatus, outcome, toJson(response), body, id]);
  }

  async count(tenant: string): Promise<number> {
    const row = await this.sql.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM receipts WHERE tenant = ?', [tenant]);
    return toNumber(row?.n ?? 0);
  }

  /** Removes receipts received before `before` that no event refers to any more. */
  async deleteOrphansBefore(tenant: string, before: number): Promise<number> {
    const result = await this.sql.run(
      `DELETE FROM receipts WHERE tenant = ? AND received_at < ?
       AND NOT EXISTS (SELECT 1 FROM events WHERE events.receipt_id = receipts.id)`,
      [tenant, before],
    );
    return result.changes;
  }
}
