// Group commit for a store whose writes are asynchronous (PostgreSQL). add() queues an item; the
// queue is written once per turn of the event loop, as one batch, and each caller's promise settles
// with its own result once that batch is written. Up to `maxInFlight` batches are written at once
// (one per pooled connection); what arrives while all of them are busy waits and goes in the next
// batch, so under load the batches grow instead of the queue of connections.

/** Writes a batch; one result per item, in order (an Error fails that item only), or throws to fail them all. */
export type WriteBatch<I, O> = (items: I[]) => Promise<(O | Error)[]>;

interface Pending<I, O> {
  item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

export class WriteBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private scheduled = false;

  constructor(
    private readonly write: WriteBatch<I, O>,
    private readonly maxInFlight: number,
    private readonly maxBatch: number,
  ) {}

  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Writes everything queued, ignoring the in-flight limit, and resolves when every batch is done. */
  async drain(): Promise<void> {
    while (this.queue.length > 0) this.start(this.queue.splice(0, this.maxBatch));
    await Promise.all(this.inFlight);
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight.size >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.inFlight.size >= this.maxInFlight) return;
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length > 0) this.start(batch);
    this.schedule();
  };

  private start(batch: Pending<I, O>[]): void {
    const done = this.settle(batch).finally(() => {
      this.inFlight.delete(done);
      this.schedule();
    });
    this.inFlight.add(done);
  }

  private async settle(batch: Pending<I, O>[]): Promise<void> {
    let results: (O | Error)[];
    try {
      results = await this.write(batch.map((pending) => pending.item));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const result = results[i]!;
      if (result instanceof Error) pending.reject(result);
      else pending.resolve(result);
    });
  }
}
