import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, type PoolClient, type PoolConfig, type QueryResult } from 'pg';
import type { SqlClient, SqlDatabase, SqlRead, SqlValue } from '../sql-client';
import { ConcurrentWriteError } from '../store-errors';
import { numberedPlaceholders, toNumberedPlaceholders, withInlinedValues } from './placeholders';
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
        if (!(isRetryable(error) || error instanceof ConcurrentWriteError) || attempt >= this.maxAttempts) throw error;
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
    const unit = new UnitOfWork(connection);
    try {
      const result = await work(unit.client());
      await unit.commit();
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

const BEGIN = 'BEGIN';

/** Statements prepared per connection, by their text; the store runs a bounded set, the cap guards the rest. */
const preparedStatements = new WeakMap<PoolClient, Map<string, string>>();
const MAX_PREPARED = 500;
let preparedCount = 0;

function preparedOn(connection: PoolClient): Map<string, string> {
  let prepared = preparedStatements.get(connection);
  if (!prepared) preparedStatements.set(connection, (prepared = new Map()));
  return prepared;
}
const LOCK = 'SELECT pg_advisory_xact_lock(hashtextextended(?, 0))';

/** The SQLSTATE `intake_expect_change` (migration 13) raises when a guarded write changed nothing. */
const NOTHING_CHANGED = 'II001';

/**
 * One transaction on one connection. BEGIN, queued writes and advisory locks are not sent on their own: they
 * go, in order, in one simple-protocol message with the next statement that needs an answer (values inlined
 * as literals, see {@link withInlinedValues}) or with the COMMIT. Within that message each statement still
 * takes its own snapshot, so a read after a lock sees what the lock's holder committed.
 */
class UnitOfWork {
  private readonly pending: string[] = [BEGIN];
  /** PREPAREs the next message needs first, with the names they add to the connection's statements. */
  private prepares: { text: string; sql: string }[] = [];

  constructor(private readonly connection: PoolClient) {}

  client(): SqlClient {
    return {
      dialect: 'postgres',
      all: async <T>(sql: string, params?: readonly SqlValue[]) => (await this.send(sql, params)).rows as T[],
      get: async <T>(sql: string, params?: readonly SqlValue[]) => (await this.send(sql, params)).rows[0] as T | undefined,
      run: async (sql: string, params?: readonly SqlValue[]) => ({ changes: (await this.send(sql, params)).rowCount ?? 0 }),
      lock: async (key: string) => void (await this.send(LOCK, [key])),
      queueLock: async (key: string) => this.enqueue(LOCK, [key]),
      queue: async (sql: string, params?: readonly SqlValue[]) => this.enqueue(sql, params),
      queueExpectingChange: async (sql: string, params: readonly SqlValue[], what: string) =>
        this.enqueue(`WITH changed AS (${sql} RETURNING 1) SELECT intake_expect_change(EXISTS (SELECT 1 FROM changed), ?)`, [...params, what]),
      batch: (async (reads: readonly SqlRead<unknown>[]) => {
        if (reads.length === 0) return [];
        const results = await this.sendAll(reads.map((read) => this.render(read.sql, read.params)));
        return reads.map((read, index) => read.parse(results[results.length - reads.length + index]!.rows));
      }) as SqlClient['batch'],
      // Without parameters the driver uses the simple-query protocol, which accepts several statements at once.
      exec: async (script: string) => void (await this.sendAll([script])),
    };
  }

  async commit(): Promise<void> {
    if (this.pending.length === 1 && this.pending[0] === BEGIN) return void this.pending.pop(); // nothing was asked for
    const results = await this.sendAll(['COMMIT']);
    // PostgreSQL answers COMMIT of a transaction that already failed with ROLLBACK instead of an error.
    if (results[results.length - 1]!.command === 'ROLLBACK') throw new Error('the transaction was rolled back: a statement in it had failed');
  }

  private enqueue(sql: string, params?: readonly SqlValue[]): void {
    this.pending.push(this.render(sql, params));
  }

  /**
   * A statement as text for a simple-protocol message: `EXECUTE` of a statement prepared once per connection
   * (parsed and planned once, as the extended protocol's bound parameters never are), its values inlined.
   */
  private render(sql: string, params: readonly SqlValue[] = []): string {
    const prepared = preparedOn(this.connection);
    let name = prepared.get(sql);
    if (name === undefined) {
      if (prepared.size >= MAX_PREPARED) return withInlinedValues(sql, params);
      name = `intake_${++preparedCount}`;
      prepared.set(sql, name);
      this.prepares.push({ text: `PREPARE ${name} AS ${toNumberedPlaceholders(sql)}`, sql });
    }
    return params.length === 0 ? `EXECUTE ${name}` : withInlinedValues(`EXECUTE ${name}(${params.map(() => '?').join(', ')})`, params);
  }

  /** One statement with an answer: on its own with bound parameters when nothing is pending, else with the rest. */
  private async send(sql: string, params?: readonly SqlValue[]): Promise<QueryResult> {
    if (this.pending.length === 0) return query(this.connection, sql, params ?? []);
    const results = await this.sendAll([this.render(sql, params)]);
    return results[results.length - 1]!;
  }

  private async sendAll(statements: readonly string[]): Promise<QueryResult[]> {
    const all = [...this.pending.splice(0), ...statements];
    const prepares = this.prepares.splice(0);
    // The PREPAREs go first (after BEGIN), so the answers the caller reads stay at the message's end.
    const begin = all[0] === BEGIN ? [all.shift()!] : [];
    const text = [...begin, ...prepares.map((prepare) => prepare.text), ...all].join(';\n');
    try {
      const result = (await this.connection.query(text)) as QueryResult | QueryResult[];
      return Array.isArray(result) ? result : [result];
    } catch (error) {
      // A PREPARE the failure skipped must be made again; one that ran keeps its name unused (names are never reused).
      const prepared = preparedOn(this.connection);
      for (const { sql } of prepares) prepared.delete(sql);
      if ((error as { code?: unknown }).code === NOTHING_CHANGED) throw new ConcurrentWriteError(String((error as Error).message));
      throw toStoreError(error);
    }
  }
}

async function query(connection: PoolClient, sql: string, params?: readonly SqlValue[]): Promise<QueryResult> {
  try {
    return params === undefined ? await connection.query(sql) : await connection.query(numberedPlaceholders(sql), [...params]);
  } catch (error) {
    throw toStoreError(error);
  }
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
