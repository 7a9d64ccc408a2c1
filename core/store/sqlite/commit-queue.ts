/** What the queue needs from a synchronous connection. */
export interface CommitQueueConnection<C> {
  readonly client: C;
  /** Runs one statement that returns nothing (BEGIN, COMMIT, SAVEPOINT…). Throws on failure. */
  exec(sql: string): void;
  /** Whether a transaction is open (after a failed COMMIT SQLite may already have rolled back). */
  inTransaction(): boolean;
  /** Turns a BEGIN or COMMIT failure into the error callers see (e.g. "store busy"). */
  failure(error: unknown): unknown;
}

interface QueuedWork<C> {
  work: (client: C) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** At most this many units of work share one commit, so one batch never holds the write lock for long. */
const MAX_BATCH = 64;

/**
 * Group commit for one synchronous connection. Units of work asked for in the same turn of the event loop,
 * or while a batch is running, run one after another inside a single transaction, each in its own
 * savepoint, and share one COMMIT. A unit that throws is rolled back to its savepoint alone; the others
 * still commit. Every caller is answered only after the COMMIT that made its work durable.
 *
 * On a busy intake this turns sixteen commits (each a burst of WAL writes and locks, the dominant cost of a
 * small request) into one; a lone request still gets its own transaction, one event-loop turn later.
 */
export class CommitQueue<C> {
  private readonly queue: QueuedWork<C>[] = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly connection: CommitQueueConnection<C>) {}

  run<T>(work: (client: C) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.draining ??= this.drainSoon();
    });
  }

  /** Resolves once every unit of work asked for so far has been committed or refused. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drainSoon(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) await this.runBatch(this.queue.splice(0, MAX_BATCH));
    this.draining = undefined;
  }

  private async runBatch(batch: QueuedWork<C>[]): Promise<void> {
    try {
      this.connection.exec('BEGIN IMMEDIATE');
      const done = batch.length === 1 ? await this.runAlone(batch[0]!) : await this.runEachInSavepoint(batch);
      this.commit(done);
    } catch (error) {
      // BEGIN failed (another process held the lock past the busy timeout) or the connection broke.
      this.rollbackQuietly();
      for (const item of batch) item.reject(this.connection.failure(error));
    }
  }

  private async runAlone(item: QueuedWork<C>): Promise<Settled<C>[]> {
    try {
      return [{ item, value: await item.work(this.connection.client) }];
    } catch (error) {
      if (this.connection.inTransaction()) this.connection.exec('ROLLBACK');
      item.reject(this.connection.failure(error));
      return [];
    }
  }

  private async runEachInSavepoint(batch: QueuedWork<C>[]): Promise<Settled<C>[]> {
    const done: Settled<C>[] = [];
    for (const [index, item] of batch.entries()) {
      this.connection.exec('SAVEPOINT unit_of_work');
      try {
        const value = await item.work(this.connection.client);
        this.connection.exec('RELEASE unit_of_work');
        done.push({ item, value });
      } catch (error) {
        const failure = this.connection.failure(error);
        item.reject(failure);
        if (this.connection.inTransaction()) {
          this.connection.exec('ROLLBACK TO unit_of_work');
          this.connection.exec('RELEASE unit_of_work');
          continue;
        }
        // Some errors (disk full, I/O) make SQLite roll the whole transaction back: nothing of this batch
        // was kept, so every caller in it is told so.
        for (const other of [...done.map((settled) => settled.item), ...batch.slice(index + 1)]) other.reject(failure);
        return [];
      }
    }
    return done;
  }

  private commit(done: Settled<C>[]): void {
    if (!this.connection.inTransaction()) return;
    try {
      this.connection.exec('COMMIT');
    } catch (error) {
      this.rollbackQuietly();
      for (const { item } of done) item.reject(this.connection.failure(error));
      return;
    }
    for (const { item, value } of done) item.resolve(value);
  }

  private rollbackQuietly(): void {
    try {
      if (this.connection.inTransaction()) this.connection.exec('ROLLBACK');
    } catch {
      // The connection is broken; the callers are being told already.
    }
  }
}

interface Settled<C> {
  item: QueuedWork<C>;
  value: unknown;
}
