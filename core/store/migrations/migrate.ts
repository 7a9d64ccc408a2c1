import type { SqlDatabase } from '../sql-client';
import { MIGRATIONS } from './index';
import type { Migration } from './migration';

/**
 * Applies pending migrations, one transaction each. Safe when several processes start at once: the
 * migration lock serialises them and each re-reads the applied versions after taking it.
 */
export async function migrate(database: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await database.transaction(async (client) => {
      await client.lock('schema_migrations');
      await client.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const done = await client.get('SELECT version FROM schema_migrations WHERE version = ?', [migration.version]);
      if (done) return false;
      await client.exec(migration.up(client.dialect));
      await migration.backfill?.(client);
      await client.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, Date.now()]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}
