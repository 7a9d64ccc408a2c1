import { openPostgresStore } from './postgres/open-postgres-store';
import { openSqliteStore } from './sqlite/open-sqlite-store';
import type { Store } from './store';

/**
 * Opens the store a single setting names:
 * - `postgres://…` or `postgresql://…`: a PostgreSQL database;
 * - `sqlite:PATH`, `sqlite://PATH` (so `sqlite:///abs/path.db`), a plain file path, or `:memory:`: SQLite.
 */
export async function openStore(url: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgresStore({ connectionString: url });
  const sqlitePath = /^sqlite:(\/\/)?/i.test(url) ? url.replace(/^sqlite:(\/\/)?/i, '') : url;
  if (isStoreUrl(sqlitePath)) throw new Error(`unsupported store URL ${redacted(sqlitePath)}: use postgres://…, sqlite:PATH or a file path`);
  if (!sqlitePath) throw new Error('the SQLite store URL names no file: use sqlite:PATH or :memory:');
  return openSqliteStore(sqlitePath);
}

/** Whether a store setting is a URL (`scheme://…`) rather than a SQLite file path, which any other text is taken for. */
export function isStoreUrl(setting: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(setting);
}

/**
 * A PostgreSQL URL setting as given, or an error naming `setting` and leaving the text out: anything that is no
 * URL (`postgres:/…`, a libpq `host=… password=…` string) would otherwise be opened as a SQLite file named after it.
 */
export function postgresUrlSetting(url: string, setting: string): string {
  if (!isStoreUrl(url)) throw new Error(`${setting} is not a URL: give postgres://user:password@host:5432/database`);
  return url;
}

/** Store URLs can carry passwords; error messages leave the credentials out. */
function redacted(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//…@');
}
