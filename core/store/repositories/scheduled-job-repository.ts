import type { SqlClient } from '../sql-client';

/** The lease rows of scheduled jobs: which process runs a job on a given day. */
export class ScheduledJobRepository {
  constructor(private readonly sql: SqlClient) {}

  /**
   * Claims `job` for `day` (a `YYYY-MM-DD` string) unless a process already claimed that day or a later one.
   * A single upsert, so of several processes claiming at once exactly one gets `true`.
   */
  async claimDay(job: string, day: string, holder: string, now: number): Promise<boolean> {
    const result = await this.sql.run(
      `INSERT INTO scheduled_job_runs (job, run_day, holder, claimed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (job) DO UPDATE SET run_day = excluded.run_day, holder = excluded.holder, claimed_at = excluded.claimed_at
       WHERE scheduled_job_runs.run_day < excluded.run_day`,
      [job, day, holder, now],
    );
    return result.changes === 1;
  }

  async lastRun(job: string): Promise<{ day: string; holder: string; claimedAt: number } | undefined> {
    const row = await this.sql.get<{ run_day: string; holder: string; claimed_at: unknown }>('SELECT run_day, holder, claimed_at FROM scheduled_job_runs WHERE job = ?', [job]);
    return row ? { day: String(row.run_day), holder: String(row.holder), claimedAt: Number(row.claimed_at) } : undefined;
  }

  /** Every tenant with events, request bodies or replay keys: the tenants retention has something to look at. */
  async tenantsWithIntake(): Promise<string[]> {
    const rows = await this.sql.all<{ tenant: string }>(
      'SELECT tenant FROM events UNION SELECT tenant FROM receipts UNION SELECT tenant FROM replay_keys ORDER BY tenant',
    );
    return rows.map((row) => String(row.tenant));
  }
}
