import type { SqlClient, SqlRead } from '../sql-client';
import { toNumber } from './row-values';

/** Fixed-window counters (budgets, quarantine rates), incremented atomically in the database. */
export class CounterRepository {
  constructor(private readonly sql: SqlClient) {}

  /**
   * Adds one to the counter unless it already reached `limit`. Returns the new count, or `undefined` when
   * the limit was already reached (nothing changed). A single upsert, so concurrent processes cannot
   * overshoot.
   */
  async incrementWithin(tenant: string, name: string, windowStart: number, limit: number): Promise<number | undefined> {
    if (limit < 1) return undefined;
    const row = await this.sql.get<{ count: unknown }>(
      `INSERT INTO counters (tenant, name, window_start, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (tenant, name, window_start) DO UPDATE SET count = counters.count + 1 WHERE counters.count < ?
       RETURNING count`,
      [tenant, name, windowStart, limit],
    );
    return row ? toNumber(row.count) : undefined;
  }

  /**
   * {@link incrementWithin} for a counter this unit of work has read below `limit`: queued with the
   * transaction's other writes. When other units of work took it to the limit in between, this one is run
   * again (and then reads it at the limit), so the limit holds exactly across processes.
   */
  async chargeWithin(tenant: string, name: string, windowStart: number, limit: number): Promise<void> {
    await this.sql.queueExpectingChange(
      `INSERT INTO counters (tenant, name, window_start, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (tenant, name, window_start) DO UPDATE SET count = counters.count + 1 WHERE counters.count < ?`,
      [tenant, name, windowStart, limit],
      `counter ${name}`,
    );
  }

  async read(tenant: string, name: string, windowStart: number): Promise<number> {
    const read = this.readRead(tenant, name, windowStart);
    return read.parse(await this.sql.all(read.sql, read.params));
  }

  /** {@link read} as a read to send with others. */
  readRead(tenant: string, name: string, windowStart: number): SqlRead<number> {
    return {
      sql: 'SELECT count FROM counters WHERE tenant = ? AND name = ? AND window_start = ?',
      params: [tenant, name, windowStart],
      parse: ([row]) => (row ? toNumber(row.count) : 0),
    };
  }

  async deleteWindowsBefore(before: number): Promise<number> {
    const result = await this.sql.run('DELETE FROM counters WHERE window_start < ?', [before]);
    return result.changes;
  }
}
