/** Commits a batch of items in one transaction and returns one output per item, in order. */
export type CommitBatch<I, O> = (items: readonly I[]) => Promise<O[]>;

interface Pending<I, O> {
  item: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted close together — in the same turn of the event loop, or while an earlier
 * batch is being committed — are committed together in one transaction. Each submitter's promise settles
 * only after the transaction holding its item has committed (or failed). When a batch of several fails,
 * each of its items is committed again on its own, so one bad item cannot fail the others.
 */
export class GroupCommit<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private flushing = false;

  constructor(
    private readonly commit: CommitBatch<I, O>,
    private readonly maxBatch = 64,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // After the I/O callbacks of this turn, so that attempts finishing together share the transaction.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.commitBatch(batch);
    }
    this.flushing = false;
  }

  private async commitBatch(batch: Array<Pending<I, O>>): Promise<void> {
    try {
      const outputs = await this.commit(batch.map((pending) => pending.item));
      batch.forEach((pending, index) => pending.resolve(outputs[index] as O));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const pending of batch) await this.commitBatch([pending]);
    }
  }
}
