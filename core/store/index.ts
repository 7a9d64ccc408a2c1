export type { Store, Repositories } from './store';
export { storeOn, repositoriesFor } from './store';
export type { SqlClient, SqlDatabase, SqlValue, Dialect } from './sql-client';
export { openSqliteStore } from './sqlite/open-sqlite-store';
export { SqliteDatabase } from './sqlite/sqlite-database';
export { migrate } from './migrations/migrate';
export * from './records';
