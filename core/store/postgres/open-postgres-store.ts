import { migratedStore, type Store } from '../store';
import { PostgresDatabase, type PostgresOptions } from './postgres-database';

/**
 * Connects a pool to a PostgreSQL database and brings its schema up to date. Several processes may do this
 * at once: migrations serialise on an advisory lock.
 */
export function openPostgresStore(options: PostgresOptions | string): Promise<Store> {
  return migratedStore(new PostgresDatabase(typeof options === 'string' ? { connectionString: options } : options));
}
