import { isConnectionError } from './connection-errors.js';

/** How a {@link GroupCommitQueue} writes and batches its items. */
export interface GroupCommitOptions<T> {
  /** Writes a batch in one statement or transaction; answers the ids of the items it applied. */
  readonly write: (items: readonly T[]) => Promise<ReadonlySet<string>>;
  /** The id an item is answered by (a run id). */
  readonly idOf: (item: T) => string;
  readonly maxBatch: number;
  /** batches written at the same time */
  readonly maxInFlight: number;
  /** at most one item per id in a batch (a later one waits for the next batch) @default false */
  readonly distinctIds?: boolean;
}

interface Pending<T> {
  readonly item: T;
  resolve(applied: boolean): void;
  reject(error: unknown): void;
}

/**
 * Group commit: the items submitted while a batch is being written go into the next one, so N
 * concurrent writes cost one statement and one commit instead of N. One item that makes its batch
 * fail never fails the others: the batch is redone one item at a time, and only the items that fail
 * on their own are refused (a lost connection fails them all anyway).
 */
export class GroupCommitQueue<T> {
  readonly #o: GroupCommitOptions<T>;
  #queue: Pending<T>[] = [];
  #inFlight = 0;
  #scheduled = false;
  /** `batches`: writes that succeeded; `items`: the items in them; `fallbacks`: batches redone one item at a time */
  readonly stats = { batches: 0, items: 0, fallbacks: 0 };

  constructor(options: GroupCommitOptions<T>) {
    this.#o = options;
  }

  /** Queues an item; resolves `true` when the write applied it, `false` when it did not (e.g. fenced out, already there). */
  submit(item: T): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
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
      const applied = await this.#write(batch.map((p) => p.item));
      for (const p of batch) p.resolve(applied.has(this.#o.idOf(p.item)));
    } catch (error) {
      if (batch.length === 1 || isConnectionError(error)) for (const p of batch) p.reject(error);
      else await this.#writeOneByOne(batch);
    } finally {
      this.#inFlight -= 1;
      if (this.#queue.length) this.#schedule();
    }
  }

  async #writeOneByOne(batch: readonly Pending<T>[]): Promise<void> {
    this.stats.fallbacks += 1;
    for (const p of batch) {
      try {
        p.resolve((await this.#write([p.item])).has(this.#o.idOf(p.item)));
      } catch (error) {
        p.reject(error);
      }
    }
  }

  async #write(items: readonly T[]): Promise<ReadonlySet<string>> {
    const applied = await this.#o.write(items);
    this.stats.batches += 1;
    this.stats.items += items.length;
    return applied;
  }

  #takeBatch(): Pending<T>[] {
    if (!this.#o.distinctIds) return this.#queue.splice(0, this.#o.maxBatch);
    const batch: Pending<T>[] = [];
    const rest: Pending<T>[] = [];
    const seen = new Set<string>();
    for (const p of this.#queue) {
      const id = this.#o.idOf(p.item);
      if (batch.length < this.#o.maxBatch && !seen.has(id)) {
        seen.add(id);
        batch.push(p);
      } else rest.push(p);
    }
    this.#queue = rest;
    return batch;
  }
}
