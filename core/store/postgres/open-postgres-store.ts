import { migrate } from '../migrations/migrate';
import { storeOn, type Store } from '../store';
import { PostgresDatabase, type PostgresOptions } from './postgres-database';

/**
 * Connects a pool to a PostgreSQL database and brings its schema up to date. Several processes may do this
 * at once: migrations serialise on an advisory lock.
 */
export async function openPostgresStore(options: PostgresOptions | string): Promise<Store> {
  const database = new PostgresDatabase(typeof options === 'string' ? { connectionString: options } : options);
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return storeOn(database);
}
