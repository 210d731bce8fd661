import type { EventBatchResult, EventDelivery } from './event-delivery-batch.js';

interface Pending extends EventDelivery {
  resolve(): void;
  reject(error: unknown): void;
}

/** Counters of the batched event path. */
export interface EventDeliveryStats {
  /** transactions that delivered a batch */
  readonly batches: number;
  /** deliveries in them */
  readonly deliveries: number;
  /** batches that failed as a whole and were delivered one by one */
  readonly fallbacks: number;
}

/**
 * Groups the event deliveries made in the same turn of the event loop into one transaction
 * (`deliverBatch`); a run appears once per batch, and a later delivery to it waits until the batch
 * holding the earlier one has finished, so deliveries to one run apply in the order they came
 * (of two events for the same wait, the first one resumes it).
 * When a batch fails as a whole, each of its deliveries is retried on its own (`deliverOne`), so one
 * bad delivery cannot fail the others.
 */
export class EventDeliveryQueue {
  readonly #deliverBatch: (deliveries: readonly EventDelivery[]) => Promise<EventBatchResult>;
  readonly #deliverOne: (delivery: EventDelivery) => Promise<void>;
  readonly #maxBatchSize: number;
  #pending: Pending[] = [];
  /** runs with a delivery in a batch that has not finished */
  readonly #busy = new Set<string>();
  #scheduled = false;
  readonly #stats = { batches: 0, deliveries: 0, fallbacks: 0 };

  constructor(
    deliverBatch: (deliveries: readonly EventDelivery[]) => Promise<EventBatchResult>,
    deliverOne: (delivery: EventDelivery) => Promise<void>,
    maxBatchSize: number,
  ) {
    this.#deliverBatch = deliverBatch;
    this.#deliverOne = deliverOne;
    this.#maxBatchSize = maxBatchSize;
  }

  get stats(): EventDeliveryStats {
    return { ...this.#stats };
  }

  /** Queues the delivery for the next batch; settles when its transaction committed. */
  deliver(delivery: EventDelivery): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ ...delivery, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#pending.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    const batch: Pending[] = [];
    const later: Pending[] = [];
    const runs = new Set<string>();
    for (const p of this.#pending) {
      // A run seen once (in this batch, or deferred) keeps its later deliveries behind that one.
      if (batch.length < this.#maxBatchSize && !runs.has(p.run.runId) && !this.#busy.has(p.run.runId)) batch.push(p);
      else later.push(p);
      runs.add(p.run.runId);
    }
    this.#pending = later;
    if (batch.length === 0) return;
    for (const p of batch) this.#busy.add(p.run.runId);
    this.#schedule();
    void this.#run(batch).finally(() => {
      for (const p of batch) this.#busy.delete(p.run.runId);
      this.#schedule();
    });
  }

  async #run(batch: readonly Pending[]): Promise<void> {
    let result: EventBatchResult;
    try {
      result = await this.#deliverBatch(batch);
    } catch {
      this.#stats.fallbacks += 1;
      await Promise.all(batch.map((p) => this.#deliverOne(p).then(p.resolve, p.reject)));
      return;
    }
    this.#stats.batches += 1;
    this.#stats.deliveries += batch.length;
    batch.forEach((p, i) => {
      const error = result.outcomes[i];
      if (error) p.reject(error);
      else p.resolve();
    });
  }
}
