import { describe, expect, it } from 'vitest';
import { storeOn, type SqlDatabase } from '../../core/store';
import { MIGRATIONS } from '../../core/store/migrations';
import { migrate } from '../../core/store/migrations/migrate';
import { storeEngines } from '../retention/store-engines';

const engines = storeEngines();

async function destinationColumns(database: SqlDatabase): Promise<string[]> {
  return database.transaction(async (sql) => {
    const rows =
      sql.dialect === 'sqlite'
        ? await sql.all<{ name: string }>("SELECT name FROM pragma_table_info('destinations')")
        : await sql.all<{ name: string }>("SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'destinations'");
    return rows.map((row) => row.name).sort();
  });
}

// Migration 14 drops destinations.rate_tokens and rate_refilled_at, the bucket migration 12 replaced.
describe.each(engines)('migration 14 on $name', (engine) => {
  it.skipIf(engine.skip)('keeps the destinations of a store migrated to 13 and drops their rate columns', async () => {
    const database = await engine.openDatabase();
    try {
      expect(await migrate(database, MIGRATIONS.filter((migration) => migration.version <= 13))).toHaveLength(13);
      expect(await destinationColumns(database)).toEqual(expect.arrayContaining(['rate_tokens', 'rate_refilled_at']));
      // Rows as a release before migration 12 left them, a bucket in the row included.
      await database.transaction(async (sql) => {
        await sql.run(
          `INSERT INTO destinations (tenant, id, kind, enabled, disabled_reason, disabled_at, paused_until, rate_tokens, rate_refilled_at, last_result, last_result_at, created_at, updated_at)
           VALUES ('acme', 'pager', 'incident_io', 0, 'HTTP 401', 1700000000100, NULL, 3.5, 1700000000200, '{"status":"dead_letter"}', 1700000000300, 1700000000000, 1700000000400),
                  ('acme', 'hook', 'webhook', 1, NULL, NULL, 1700000009000, NULL, NULL, NULL, NULL, 1700000000000, 1700000000000)`,
        );
        await sql.run("UPDATE destinations SET sealed_key_id = 'k1', sealed_config = 'box', sealed_at = 1700000000500 WHERE id = 'hook'");
      });

      expect(await migrate(database)).toEqual([14]);
      const columns = await destinationColumns(database);
      expect(columns).not.toContain('rate_tokens');
      expect(columns).not.toContain('rate_refilled_at');
      expect(columns).toEqual(expect.arrayContaining(['tenant', 'id', 'kind', 'enabled', 'paused_until', 'last_result', 'sealed_config']));

      const store = storeOn(database);
      expect(await store.transaction((r) => r.destinations.list('acme'))).toEqual([
        { tenant: 'acme', id: 'hook', kind: 'webhook', enabled: true, disabledReason: null, disabledAt: null, pausedUntil: 1700000009000, lastResult: null, lastResultAt: null, createdAt: 1700000000000, updatedAt: 1700000000000 },
        { tenant: 'acme', id: 'pager', kind: 'incident_io', enabled: false, disabledReason: 'HTTP 401', disabledAt: 1700000000100, pausedUntil: null, lastResult: { status: 'dead_letter' }, lastResultAt: 1700000000300, createdAt: 1700000000000, updatedAt: 1700000000400 },
      ]);
      expect(await store.transaction((r) => r.destinations.getSealed('acme', 'hook'))).toMatchObject({ keyId: 'k1', box: 'box', sealedAt: 1700000000500 });
      // The store still writes destinations, and opening it again migrates nothing.
      expect(await store.transaction((r) => r.destinations.ensure('acme', 'new', 'webhook', 1700000001000))).toMatchObject({ id: 'new', enabled: true });
      expect(await migrate(database)).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
