import { migrate } from '../migrations/migrate';
import { storeOn, type Store } from '../store';
import { SqliteDatabase, type SqliteOptions } from './sqlite-database';

/** Opens (creating if needed) an embedded SQLite store and brings its schema up to date. */
export async function openSqliteStore(options: SqliteOptions | string): Promise<Store> {
  const database = new SqliteDatabase(typeof options === 'string' ? { path: options } : options);
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return storeOn(database);
}
