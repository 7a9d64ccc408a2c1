import { migratedStore, type Store } from '../store';
import { SqliteDatabase, type SqliteOptions } from './sqlite-database';

/** Opens (creating if needed) an embedded SQLite store and brings its schema up to date. */
export function openSqliteStore(options: SqliteOptions | string): Promise<Store> {
  return migratedStore(new SqliteDatabase(typeof options === 'string' ? { path: options } : options));
}
