/** Values the store binds into SQL. Booleans are stored as 0/1 and times as epoch milliseconds. */
export type SqlValue = string | number | bigint | null | Uint8Array;

export type Dialect = 'sqlite' | 'postgres';

/**
 * The few SQL operations the repositories need, written once with `?` placeholders and run on either
 * engine. Statements are plain SQL that both SQLite (≥ 3.35) and PostgreSQL accept; where they differ the
 * repository asks `dialect`.
 */
export interface SqlClient {
  readonly dialect: Dialect;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /**
   * Serialises writers that share a key (e.g. one tenant's audit chain) until the transaction ends.
   * SQLite already has a single writer; PostgreSQL takes an advisory transaction lock.
   */
  lock(key: string): Promise<void>;
  /** Runs a parameterless multi-statement script (schema migrations). */
  exec(script: string): Promise<void>;
}

/** A database the store runs every unit of work against, in one transaction each. */
export interface SqlDatabase {
  readonly dialect: Dialect;
  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
