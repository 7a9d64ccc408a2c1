import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, type PoolClient, type PoolConfig, type QueryResult } from 'pg';
import type { SqlClient, SqlDatabase, SqlValue } from '../sql-client';
import { numberedPlaceholders } from './placeholders';
import { isRetryable, toStoreError } from './postgres-errors';
import { storeTypes } from './postgres-types';

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database?…`; or give `config` (or both: `config` wins per field). */
  connectionString?: string;
  /** Any further node-postgres pool settings (ssl, host, user, …). */
  config?: PoolConfig;
  /** Connections kept open at most. Default 10. */
  poolSize?: number;
  /** Shown in `pg_stat_activity`. Default `incident-intake`. */
  applicationName?: string;
  /** How long to wait for a connection (new or from a full pool) before the store counts as unavailable. */
  connectTimeoutMs?: number;
  /** Runs of one unit of work when it keeps hitting serialization failures or deadlocks. Default 5. */
  maxAttempts?: number;
}

/**
 * PostgreSQL behind the {@link SqlDatabase} contract. Each unit of work runs on one pooled connection in one
 * READ COMMITTED transaction: the store's guarantees come from unique constraints, ON CONFLICT, guarded
 * UPDATEs and advisory locks, not from a stricter isolation level. A unit of work that hits a
 * serialization failure or deadlock is rolled back and run again from the start.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;
  private readonly maxAttempts: number;
  private closed = false;

  constructor(options: PostgresOptions) {
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'incident-intake',
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      keepAlive: true,
      types: storeTypes,
      ...options.config,
    });
    // An idle connection the server dropped is discarded by the pool; without a listener the error would crash the process.
    this.pool.on('error', () => undefined);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  }

  async transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce(work);
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.maxAttempts) throw error;
        await sleep(retryDelayMs(attempt));
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async runOnce<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    const connection = await this.connect();
    let broken: Error | undefined;
    // A checked-out connection has no listener of its own: a server-side disconnect while the work awaits
    // something else would otherwise be an unhandled 'error' event. The next query then fails and is mapped.
    const noteLoss = (error: Error) => (broken = error);
    connection.on('error', noteLoss);
    try {
      await query(connection, 'BEGIN');
      const result = await work(sqlClientOn(connection));
      await commit(connection);
      return result;
    } catch (error) {
      broken ??= await rollback(connection);
      throw error;
    } finally {
      connection.off('error', noteLoss);
      connection.release(broken);
    }
  }

  private async connect(): Promise<PoolClient> {
    if (this.closed) throw new Error('the PostgreSQL store is closed');
    try {
      return await this.pool.connect();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}

function sqlClientOn(connection: PoolClient): SqlClient {
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(connection, sql, params)).rows as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(connection, sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params?: readonly SqlValue[]) => ({ changes: (await query(connection, sql, params)).rowCount ?? 0 }),
    lock: async (key: string) => {
      await query(connection, 'SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
    },
    // Without parameters the driver uses the simple-query protocol, which accepts several statements at once.
    exec: async (script: string) => {
      await query(connection, script);
    },
  };
}

async function query(connection: PoolClient, sql: string, params?: readonly SqlValue[]): Promise<QueryResult> {
  try {
    return params === undefined ? await connection.query(sql) : await connection.query(numberedPlaceholders(sql), [...params]);
  } catch (error) {
    throw toStoreError(error);
  }
}

/** PostgreSQL answers COMMIT of a transaction that already failed with ROLLBACK instead of an error. */
async function commit(connection: PoolClient): Promise<void> {
  const result = await query(connection, 'COMMIT');
  if (result.command === 'ROLLBACK') throw new Error('the transaction was rolled back: a statement in it had failed');
}

/** Returns the error when the connection cannot be trusted any more, so the pool discards it. */
async function rollback(connection: PoolClient): Promise<Error | undefined> {
  try {
    await connection.query('ROLLBACK');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Jittered backoff so that units of work that collided do not collide again in lockstep. */
function retryDelayMs(attempt: number): number {
  return Math.random() * 10 * 2 ** attempt;
}
