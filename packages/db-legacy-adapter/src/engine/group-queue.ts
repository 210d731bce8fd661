import { isConnectionError } from './connection-errors.js';

/** How a {@link GroupQueue} runs and batches its items. */
export interface GroupQueueOptions<T, R> {
  /** Runs a batch in one statement or transaction; answers one result per item, in the items' order. */
  readonly run: (items: readonly T[]) => Promise<readonly R[]>;
  readonly maxBatch: number;
  /** batches run at the same time */
  readonly maxInFlight: number;
  /** With `distinct`, at most one item per key goes in a batch (a later one waits for the next batch). */
  readonly keyOf?: (item: T) => string;
  readonly distinct?: boolean;
}

interface Pending<T, R> {
  readonly item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Items submitted while a batch is running go into the next one, so N concurrent writes or reads cost
 * one statement instead of N. A batch is only started after its items were submitted, so each item's
 * statement begins after its caller asked (a read sees every commit that returned before it was
 * asked). One item that makes its batch fail never fails the others: the batch is redone one item at a
 * time, and only the items that fail on their own are refused (a lost connection fails them all).
 */
export class GroupQueue<T, R> {
  readonly #o: GroupQueueOptions<T, R>;
  #queue: Pending<T, R>[] = [];
  #inFlight = 0;
  #scheduled = false;
  /** `batches`: runs that succeeded; `items`: the items in them; `fallbacks`: batches redone one item at a time */
  readonly stats = { batches: 0, items: 0, fallbacks: 0 };

  constructor(options: GroupQueueOptions<T, R>) {
    this.#o = options;
  }

  /** Queues an item; resolves with its result, rejects with what failed it. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#inFlight >= this.#o.maxInFlight || this.#scheduled) return;
    this.#scheduled = true;
    // One macrotask of delay lets the items produced in the same tick join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#inFlight >= this.#o.maxInFlight || this.#queue.length === 0) return;
    this.#inFlight += 1;
    const batch = this.#takeBatch();
    try {
      const results = await this.#run(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1 || isConnectionError(error)) for (const p of batch) p.reject(error);
      else await this.#runOneByOne(batch);
    } finally {
      this.#inFlight -= 1;
      if (this.#queue.length) this.#schedule();
    }
  }

  async #runOneByOne(batch: readonly Pending<T, R>[]): Promise<void> {
    this.stats.fallbacks += 1;
    for (const p of batch) {
      try {
        p.resolve((await this.#run([p.item]))[0]!);
      } catch (error) {
        p.reject(error);
      }
    }
  }

  async #run(items: readonly T[]): Promise<readonly R[]> {
    const results = await this.#o.run(items);
    this.stats.batches += 1;
    this.stats.items += items.length;
    return results;
  }

  #takeBatch(): Pending<T, R>[] {
    const { keyOf, distinct, maxBatch } = this.#o;
    if (!distinct || !keyOf) return this.#queue.splice(0, maxBatch);
    const batch: Pending<T, R>[] = [];
    const rest: Pending<T, R>[] = [];
    const seen = new Set<string>();
    for (const p of this.#queue) {
      const key = keyOf(p.item);
      if (batch.length < maxBatch && !seen.has(key)) {
        seen.add(key);
        batch.push(p);
      } else rest.push(p);
    }
    this.#queue = rest;
    return batch;
  }
}
