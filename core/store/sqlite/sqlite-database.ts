import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AsyncMutex } from '../async-mutex';
import type { SqlClient, SqlDatabase, SqlValue } from '../sql-client';
import { StoreUnavailableError } from '../store-errors';

export interface SqliteOptions {
  /** A file path, or `:memory:`. */
  path: string;
  /** How long a writer waits for another process's lock before failing, in ms. */
  busyTimeoutMs?: number;
}

/**
 * node:sqlite behind the async {@link SqlDatabase} contract. The connection is synchronous, so units of work
 * are serialised through a mutex: an awaited callback can never interleave its statements with another's
 * transaction on the same connection. `BEGIN IMMEDIATE` takes the write lock up front, which makes
 * read-then-write sequences atomic across processes sharing the file.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly mutex = new AsyncMutex();
  private readonly client: SqlClient;
  private closed = false;

  constructor(options: SqliteOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new DatabaseSync(options.path);
    this.db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
    this.db.exec('PRAGMA foreign_keys = ON');
    this.client = this.createClient();
  }

  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    return this.mutex.runExclusive(async () => {
      if (this.closed) throw new StoreUnavailableError('the SQLite store is closed');
      try {
        this.db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        throw unavailableIfBusy(error);
      }
      try {
        const result = await work(this.client);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw unavailableIfBusy(error);
      }
    });
  }

  async close(): Promise<void> {
    await this.mutex.runExclusive(async () => {
      if (this.closed) return;
      this.closed = true;
      this.statements.clear();
      this.db.close();
    });
  }

  private prepare(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private createClient(): SqlClient {
    const bind = (params: readonly SqlValue[] = []) => params as SqlValue[];
    return {
      dialect: 'sqlite',
      all: async <T>(sql: string, params?: readonly SqlValue[]) => this.prepare(sql).all(...bind(params)) as T[],
      get: async <T>(sql: string, params?: readonly SqlValue[]) => this.prepare(sql).get(...bind(params)) as T | undefined,
      run: async (sql: string, params?: readonly SqlValue[]) => {
        const result = this.prepare(sql).run(...bind(params));
        return { changes: Number(result.changes) };
      },
      lock: async () => undefined,
      exec: async (script: string) => this.db.exec(script),
    };
  }
}

const SQLITE_BUSY = 5;

/** Another process held the file's write lock for longer than the busy timeout: the store is unavailable, not broken. */
function unavailableIfBusy(error: unknown): unknown {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  const busy = code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' && (errcode & 0xff) === SQLITE_BUSY;
  return busy ? new StoreUnavailableError('the SQLite store is busy: another process held its write lock past the busy timeout', { cause: error }) : error;
}
