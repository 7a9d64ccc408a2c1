import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CommitQueue } from './commit-queue';
import type { SqlClient, SqlDatabase, SqlRead, SqlValue } from '../sql-client';
import { ConcurrentWriteError, StoreUnavailableError } from '../store-errors';

export interface SqliteOptions {
  /** A file path, or `:memory:`. */
  path: string;
  /** How long a writer waits for another process's lock before failing, in ms. */
  busyTimeoutMs?: number;
}

/**
 * node:sqlite behind the async {@link SqlDatabase} contract. The connection is synchronous, so units of work
 * run one at a time through a {@link CommitQueue} (units asked for together share one commit): an awaited
 * callback can never interleave its statements with another's. `BEGIN IMMEDIATE` takes the write lock up
 * front, which makes read-then-write sequences atomic across processes sharing the file.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly client: SqlClient;
  private readonly commits: CommitQueue<SqlClient>;
  private closed = false;

  constructor(options: SqliteOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new DatabaseSync(options.path);
    for (const pragma of sqlitePragmas(options)) this.db.exec(pragma);
    this.client = this.createClient();
    this.commits = new CommitQueue({
      client: this.client,
      exec: (sql) => this.db.exec(sql),
      inTransaction: () => this.db.isTransaction,
      failure: unavailableIfBusy,
    });
  }

  async transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new StoreUnavailableError('the SQLite store is closed');
      try {
        return await this.commits.run(work);
      } catch (error) {
        // Only a unit of work that wrote without reading first can meet this: its own read would have seen the row.
        if (!(error instanceof ConcurrentWriteError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commits.idle();
    this.statements.clear();
    this.db.close();
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
    const run = (sql: string, params?: readonly SqlValue[]) => Number(this.prepare(sql).run(...bind(params)).changes);
    return {
      dialect: 'sqlite',
      all: async <T>(sql: string, params?: readonly SqlValue[]) => this.prepare(sql).all(...bind(params)) as T[],
      get: async <T>(sql: string, params?: readonly SqlValue[]) => this.prepare(sql).get(...bind(params)) as T | undefined,
      run: async (sql: string, params?: readonly SqlValue[]) => {
        const result = this.prepare(sql).run(...bind(params));
        return { changes: Number(result.changes) };
      },
      lock: async () => undefined,
      queueLock: async () => undefined,
      queue: async (sql: string, params?: readonly SqlValue[]) => void run(sql, params),
      queueExpectingChange: async (sql: string, params: readonly SqlValue[], what: string) => {
        if (run(sql, params) === 0) throw new ConcurrentWriteError(what);
      },
      batch: (async (reads: readonly SqlRead<unknown>[]) =>
        reads.map((read) => read.parse(this.prepare(read.sql).all(...bind(read.params)) as Record<string, unknown>[]))) as SqlClient['batch'],
      exec: async (script: string) => this.db.exec(script),
    };
  }
}

/** The connection settings of every store connection; the bench's durable floor opens its file with the same. */
export function sqlitePragmas(options: Pick<SqliteOptions, 'busyTimeoutMs'> = {}): string[] {
  return [
    `PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`,
    'PRAGMA journal_mode = WAL',
    'PRAGMA synchronous = NORMAL',
    'PRAGMA foreign_keys = ON',
    // Group commit runs each unit of work in a savepoint; its statement journal stays in memory instead of a temp file.
    'PRAGMA temp_store = MEMORY',
    // Checkpoint every 16 MiB of WAL rather than every 4 MiB: pages rewritten by many small commits (indexes,
    // counters, the audit tail) are copied back once per checkpoint, and each checkpoint costs an fsync.
    'PRAGMA wal_autocheckpoint = 4000',
  ];
}

/** Runs of a unit of work whose guarded write met a concurrent one (see {@link ConcurrentWriteError}). */
const MAX_ATTEMPTS = 3;

const SQLITE_BUSY = 5;

/** Another process held the file's write lock for longer than the busy timeout: the store is unavailable, not broken. */
function unavailableIfBusy(error: unknown): unknown {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  const busy = code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' && (errcode & 0xff) === SQLITE_BUSY;
  return busy ? new StoreUnavailableError('the SQLite store is busy: another process held its write lock past the busy timeout', { cause: error }) : error;
}
