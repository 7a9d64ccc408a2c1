import { randomUUID } from 'node:crypto';
import { types as pgTypes } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openStore, PostgresDatabase, StoreUnavailableError, type Store } from '../../core/store';
import { migrate } from '../../core/store/migrations/migrate';
import { MIGRATIONS } from '../../core/store/migrations';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';
import { describeStoreContract } from './store-contract';

const support = postgresSupport();

describe.skipIf(!support.binaries)('PostgreSQL store', () => {
  let cluster: PostgresCluster;
  const opened: Array<Store | PostgresDatabase> = [];

  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
  });
  afterAll(async () => {
    await Promise.allSettled(opened.map((each) => each.close()));
    await cluster?.destroy();
  });

  /** Several stores on one database stand in for several processes sharing it. */
  async function storesOn(connectionString: string, count: number, poolSize = 4): Promise<Store[]> {
    const stores = await Promise.all(Array.from({ length: count }, () => openPostgresStore({ connectionString, poolSize })));
    opened.push(...stores);
    return stores;
  }

  function databaseOn(connectionString: string, options: { poolSize?: number; maxAttempts?: number } = {}): PostgresDatabase {
    const database = new PostgresDatabase({ connectionString, ...options });
    opened.push(database);
    return database;
  }

  describeStoreContract('PostgreSQL', async () => openPostgresStore(await cluster.createSchema()));

  describe('migrations', () => {
    it('apply each version exactly once when eight processes migrate a fresh database at the same time', async () => {
      const url = await cluster.createDatabase();
      const databases = Array.from({ length: 8 }, () => databaseOn(url, { poolSize: 1 }));
      const applied = await Promise.all(databases.map((database) => migrate(database)));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((migration) => migration.version));
      const rows = await databases[0]!.transaction((sql) => sql.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version'));
      expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
    });

    it('are a no-op when the store is opened again', async () => {
      const url = await cluster.createDatabase();
      const [first] = await storesOn(url, 1);
      await first!.transaction((r) => r.sources.ensure('t', 's', 'jira', 'J', 1));
      expect(await migrate(databaseOn(url))).toEqual([]);
      const [second] = await storesOn(url, 1);
      expect(await second!.transaction((r) => r.sources.get('t', 's'))).toMatchObject({ provider: 'jira', createdAt: 1 });
    });
  });

  describe('values', () => {
    it('returns BIGINT as numbers without changing the driver-wide parsers', async () => {
      const database = databaseOn(await cluster.createSchema());
      const row = await database.transaction((sql) =>
        sql.get<Record<string, unknown>>('SELECT 9007199254740991::bigint AS big, COUNT(*) AS n, 1700000000000::bigint AS at FROM (VALUES (1)) AS v'),
      );
      expect(row).toEqual({ big: Number.MAX_SAFE_INTEGER, n: 1, at: 1_700_000_000_000 });
      expect(pgTypes.getTypeParser(20, 'text')('5')).toBe('5');
    });

    it('leaves question marks inside literals, identifiers and comments alone', async () => {
      const database = databaseOn(await cluster.createSchema());
      const row = await database.transaction((sql) =>
        sql.get<Record<string, unknown>>(`SELECT '?' AS quoted, 'it''s ?' AS doubled, E'\\'?' AS escaped, $$?$$ AS dollar, ? AS bound, 1 AS "why?" /* ? */ -- ?\n`, [
          'value',
        ]),
      );
      expect(row).toEqual({ quoted: '?', doubled: "it's ?", escaped: "'?", dollar: '?', bound: 'value', 'why?': 1 });
    });

    it('keeps BYTEA bytes exact in both directions', async () => {
      const database = databaseOn(await cluster.createSchema());
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
      const row = await database.transaction((sql) => sql.get<{ echoed: Buffer }>('SELECT ?::bytea AS echoed', [bytes]));
      expect(Buffer.isBuffer(row?.echoed)).toBe(true);
      expect(row?.echoed.equals(bytes)).toBe(true);
    });
  });

  describe('connections', () => {
    it('are named and never more than the pool size', async () => {
      const url = await cluster.createSchema();
      const database = new PostgresDatabase({ connectionString: url, poolSize: 3, applicationName: 'intake-pool-test' });
      opened.push(database);
      const counts = await Promise.all(
        Array.from({ length: 12 }, () =>
          database.transaction(async (sql) => {
            await sql.run('SELECT pg_sleep(0.02)');
            const row = await sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = 'intake-pool-test'");
            return row!.n;
          }),
        ),
      );
      expect(Math.max(...counts)).toBeLessThanOrEqual(3);
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    });
  });

  describe('transactions', () => {
    it('runs a unit of work again after a deadlock, so both colliding units of work commit', async () => {
      const database = databaseOn(await cluster.createSchema(), { poolSize: 2 });
      let attempts = 0;
      let holding = 0;
      const bothHoldTheirFirstLock = async () => {
        holding++;
        while (holding < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      };
      const lockBoth = (first: string, second: string) =>
        database.transaction(async (sql) => {
          attempts++;
          await sql.lock(first);
          if (attempts <= 2) await bothHoldTheirFirstLock();
          await sql.lock(second);
          return first;
        });
      expect(await Promise.all([lockBoth('a', 'b'), lockBoth('b', 'a')])).toEqual(['a', 'b']);
      expect(attempts).toBe(3);
    });

    it('retries serialization failures a bounded number of times', async () => {
      const database = databaseOn(await cluster.createSchema(), { maxAttempts: 3 });
      const serializationFailure = () => Object.assign(new Error('could not serialize access'), { code: '40001' });
      let calls = 0;
      expect(await database.transaction(async () => (++calls < 3 ? Promise.reject(serializationFailure()) : 'done'))).toBe('done');
      calls = 0;
      await expect(database.transaction(async () => (calls++, Promise.reject(serializationFailure())))).rejects.toThrow(/serialize/);
      expect(calls).toBe(3);
    });

    it('does not report a commit when a statement inside the unit of work failed and was swallowed', async () => {
      const database = databaseOn(await cluster.createSchema());
      await expect(
        database.transaction(async (sql) => {
          await sql.run('SELECT 1 / 0').catch(() => undefined);
        }),
      ).rejects.toThrow(/rolled back/);
      expect(await database.transaction((sql) => sql.get('SELECT 1 AS one'))).toEqual({ one: 1 });
    });
  });

  describe('several processes on one database', () => {
    it('serialise audit appends per tenant, so the hash chain stays intact', async () => {
      const stores = await storesOn(await cluster.createSchema(), 4);
      const appends = stores.flatMap((store, process) =>
        Array.from({ length: 15 }, (_, index) =>
          store.transaction((r) =>
            r.audit.append({ tenant: index % 3 === 0 ? 't2' : 't1', at: index, actor: `process-${process}`, action: 'touched', subjectType: 'incident', subjectId: 'i1' }),
          ),
        ),
      );
      await Promise.all(appends);
      const [reader] = stores;
      expect(await reader!.transaction((r) => r.audit.verifyChain('t1'))).toBeUndefined();
      expect(await reader!.transaction((r) => r.audit.verifyChain('t2'))).toBeUndefined();
      expect(await reader!.transaction((r) => r.audit.list('t1', 1000))).toHaveLength(40);
      expect(await reader!.transaction((r) => r.audit.list('t2', 1000))).toHaveLength(20);
    });

    it('never let a counter overshoot its limit', async () => {
      const stores = await storesOn(await cluster.createSchema(), 5, 8);
      const increments = stores.flatMap((store) =>
        Array.from({ length: 30 }, () => store.transaction((r) => r.counters.incrementWithin('t1', 'budget', 0, 37))),
      );
      const counts = await Promise.all(increments);
      const granted = counts.filter((count): count is number => count !== undefined);
      expect(granted.sort((a, b) => a - b)).toEqual(Array.from({ length: 37 }, (_, index) => index + 1));
      expect(await stores[0]!.transaction((r) => r.counters.read('t1', 'budget', 0))).toBe(37);
    });

    it('let exactly one of ten concurrent promoters move an event out of review', async () => {
      const stores = await storesOn(await cluster.createSchema(), 10, 1);
      const receiptId = randomUUID();
      const eventId = randomUUID();
      await stores[0]!.transaction(async (r) => {
        await r.receipts.insert(receiptRecord(receiptId), Buffer.from('{}'));
        await r.events.insert(pendingEvent(eventId, receiptId));
      });
      const promote = (store: Store, actor: string) =>
        store.transaction(async (r) => {
          const won = await r.events.transition('t1', eventId, 'pending_review', { state: 'promoted', actor, reason: 'ok', at: 2_000 });
          if (won) await r.audit.append({ tenant: 't1', at: 2_000, actor, action: 'promoted', subjectType: 'event', subjectId: eventId });
          return won;
        });
      const results = await Promise.all(stores.map((store, index) => promote(store, `reviewer-${index}`)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = `reviewer-${results.indexOf(true)}`;
      expect(await stores[0]!.transaction((r) => r.events.get('t1', eventId))).toMatchObject({ state: 'promoted', decidedBy: winner });
      expect(await stores[0]!.transaction((r) => r.audit.forSubject('t1', 'event', eventId))).toMatchObject([{ actor: winner }]);
    });
  });

  describe('openStore', () => {
    it('opens PostgreSQL for postgres:// and postgresql:// URLs', async () => {
      const url = await cluster.createDatabase();
      for (const each of [url, url.replace(/^postgresql:/, 'postgres:')]) {
        const store = await openStore(each);
        opened.push(store);
        expect(store.dialect).toBe('postgres');
        expect(await store.transaction((r) => r.counters.read('t1', 'x', 0))).toBe(0);
      }
    });

    it('reaches the server over its unix socket too', async () => {
      const url = await cluster.createDatabase();
      const database = url.slice(url.lastIndexOf('/') + 1);
      const [store] = await storesOn(cluster.socketConnectionString(database), 1);
      expect(await store!.transaction((r) => r.counters.incrementWithin('t1', 'x', 0, 5))).toBe(1);
    });
  });

  // Last: it stops and restarts the shared server.
  describe('availability', () => {
    it('raises StoreUnavailableError when nothing listens at the address', async () => {
      const url = cluster.connectionString('postgres').replace(/:\d+\//, ':1/');
      await expect(openPostgresStore({ connectionString: url, connectTimeoutMs: 2_000 })).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it('raises StoreUnavailableError while the server is down, mid-transaction too, and recovers once it is back', async () => {
      const [store] = await storesOn(await cluster.createDatabase(), 1);
      await expect(
        store!.transaction(async (r) => {
          await r.counters.incrementWithin('t1', 'x', 0, 5);
          await cluster.stopServer();
          await r.counters.incrementWithin('t1', 'x', 0, 5);
        }),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store!.transaction((r) => r.counters.read('t1', 'x', 0))).rejects.toBeInstanceOf(StoreUnavailableError);
      await cluster.startServer();
      expect(await store!.transaction((r) => r.counters.read('t1', 'x', 0))).toBe(0);
    });
  });
});

function receiptRecord(id: string) {
  return {
    id,
    tenant: 't1',
    sourceId: 's1',
    replayKey: `id:${id}`,
    messageId: null,
    receivedAt: 1_000,
    bodySha256: 'ab'.repeat(32),
    contentType: 'application/json',
    httpStatus: 202,
    outcome: 'accepted',
    response: {},
  };
}

function pendingEvent(id: string, receiptId: string) {
  return {
    id,
    tenant: 't1',
    sourceId: 's1',
    receiptId,
    position: 0,
    state: 'pending_review' as const,
    reasons: [],
    candidate: { title: 'x' },
    dedupeKey: 'p::1',
    incidentId: null,
    mappingVersion: 'm1',
    receivedAt: 1_000,
    decidedAt: null,
    decidedBy: null,
    decisionReason: null,
  };
}
