import { afterAll, beforeAll } from 'vitest';
import { PostgresDatabase, SqliteDatabase, type SqlDatabase, type Store } from '../../core/store';
import { migratedStore } from '../../core/store/store';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';

export interface StoreEngine {
  name: string;
  /** A fresh, not yet migrated database. */
  openDatabase(): Promise<SqlDatabase>;
  /** A fresh store on a migrated database. */
  open(): Promise<Store>;
  skip: boolean;
}

/**
 * SQLite in memory and, where the binaries are installed, a throwaway PostgreSQL cluster for the test file
 * (a fresh schema per store). Call at the top level of a test file and use with `describe.each`.
 */
export function storeEngines(): StoreEngine[] {
  const support = postgresSupport();
  let cluster: PostgresCluster | undefined;
  beforeAll(async () => {
    if (support.binaries) cluster = await PostgresCluster.start(support.binaries);
  });
  afterAll(async () => cluster?.destroy());
  const engine = (name: string, openDatabase: () => Promise<SqlDatabase>, skip: boolean): StoreEngine => ({
    name,
    openDatabase,
    open: async () => migratedStore(await openDatabase()),
    skip,
  });
  return [
    engine('SQLite', async () => new SqliteDatabase({ path: ':memory:' }), false),
    engine('PostgreSQL', async () => new PostgresDatabase({ connectionString: await cluster!.createSchema() }), !support.binaries),
  ];
}
