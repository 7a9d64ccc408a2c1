/** Values the store binds into SQL. Booleans are stored as 0/1 and times as epoch milliseconds. */
export type SqlValue = string | number | bigint | null | Uint8Array;

export type Dialect = 'sqlite' | 'postgres';

/** One read of several sent together: the statement and how its rows become the caller's value. */
export interface SqlRead<T> {
  sql: string;
  params: readonly SqlValue[];
  parse(rows: Record<string, unknown>[]): T;
}

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
  /**
   * {@link lock}, taken with the next statement sent rather than on its own: for a lock that guards the reads
   * right after it (PostgreSQL sends both in one round trip; each statement there still reads afresh).
   */
  queueLock(key: string): Promise<void>;
  /**
   * A write whose result the caller does not need. SQLite runs it at once; PostgreSQL sends it with the
   * transaction's next statement or its COMMIT, in order, so a unit of work's writes share round trips.
   * Its failure fails the unit of work (at the latest at COMMIT).
   */
  queue(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /**
   * {@link queue} for a write that must change a row (an insert guarded by ON CONFLICT DO NOTHING, an update
   * guarded by WHERE): when it changes none, another unit of work got there between this one's read and write,
   * and this unit of work is run again from the start (as on a serialization failure). `sql` has no RETURNING.
   */
  queueExpectingChange(sql: string, params: readonly SqlValue[], what: string): Promise<void>;
  /** Reads run in order, after every queued write, in one round trip where the engine allows it. */
  batch<T extends readonly unknown[]>(reads: { [K in keyof T]: SqlRead<T[K]> }): Promise<T>;
  /** Runs a parameterless multi-statement script (schema migrations). */
  exec(script: string): Promise<void>;
}

/** A database the store runs every unit of work against, in one transaction each. */
export interface SqlDatabase {
  readonly dialect: Dialect;
  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
