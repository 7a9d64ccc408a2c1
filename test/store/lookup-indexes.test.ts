import { describe, expect, it } from 'vitest';
import { SqliteDatabase, migrate } from '../../core/store';

// The two lookups every intake makes must read one index entry, not walk the tenant's events or sort its
// audit trail: both grew with the store and made intake slow down in proportion to its size.
describe('SQLite lookup plans', () => {
  async function planOf(sql: string): Promise<string> {
    const database = new SqliteDatabase({ path: ':memory:' });
    await migrate(database);
    try {
      const rows = await database.transaction((client) => client.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`));
      return rows.map((row) => row.detail).join('; ');
    } finally {
      await database.close();
    }
  }

  it('finds the pending event for a dedupe key through its own index', async () => {
    const plan = await planOf("SELECT * FROM events WHERE tenant = 't' AND dedupe_key = 'k' AND state = 'pending_review' ORDER BY received_at DESC LIMIT 1");
    expect(plan).toContain('events_pending_by_dedupe_key (tenant=? AND dedupe_key=? AND state=?)');
    expect(plan).not.toContain('TEMP B-TREE');
  });

  it("reads the tail of a tenant's audit chain without sorting it", async () => {
    const plan = await planOf("SELECT hash FROM audit WHERE tenant = 't' ORDER BY seq DESC LIMIT 1");
    expect(plan).toContain('audit_by_tenant (tenant=?)');
    expect(plan).not.toContain('TEMP B-TREE');
  });
});
