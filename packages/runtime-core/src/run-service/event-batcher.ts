import type { EventDeliveryResult } from './event-delivery-result.js';
import type { AcceptedEvent, EventSettlement } from './route-event-batch.js';

/** Micro-batching of concurrent event deliveries (`RuntimeOptions.eventBatching`). */
export interface EventBatchingOptions {
  /** most events routed together in one batch @default 64 */
  readonly maxBatchSize?: number;
  /**
   * batches in their batched phase (store work and Postgres-engine deliveries) at the same time;
   * events that arrive meanwhile wait for the next one @default 1
   */
  readonly maxInFlight?: number;
  /**
   * under load (the previous batch held more than one event), how long a batch may wait for more
   * events before it is routed, unless as many events as the previous batch held (or
   * `maxBatchSize`) are queued first; a lone event under no load never waits. 0 routes what is
   * queued at the next turn of the event loop. @default 3
   */
  readonly lingerMs?: number;
}

/** Default batch limits. */
export const EVENT_BATCHING_DEFAULTS = { maxBatchSize: 64, maxInFlight: 1, lingerMs: 3 } as const;

/**
 * Routes the batch of one tenant, answering in its order. It may call `release` once the part of
 * the routing that benefits from batching is done (the store work and the Postgres engine's
 * deliveries): the batch then stops counting against `maxInFlight` while the rest (remote engine
 * calls such as Temporal signals) finishes, so one slow call does not hold back the next batch.
 */
export type RouteBatch = (tenant: string, batch: readonly AcceptedEvent[], release: () => void) => Promise<EventSettlement[]>;

/** Collects concurrent deliveries and routes them together. */
export interface EventBatcher {
  /** Queues the event for the next batch; settles as a single delivery would. */
  deliver(tenant: string, accepted: AcceptedEvent): Promise<EventDeliveryResult>;
}

interface Pending {
  readonly tenant: string;
  readonly accepted: AcceptedEvent;
  resolve(result: EventDeliveryResult): void;
  reject(error: unknown): void;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

/**
 * A batcher over `route`: a delivery waits for the current turn of the event loop (so the events
 * that arrived together go together) or, when `maxInFlight` batches are already being routed, until
 * one of them finishes; then up to `maxBatchSize` queued events are routed at once, grouped by
 * tenant. Under no load a batch holds one event and adds no delay beyond that turn.
 *
 * Under load (the previous batch held more than one event) a batch waits up to `lingerMs` for more
 * events, or until as many events as the previous batch held (or `maxBatchSize`) are queued. Without
 * the wait, clients that wait for their answers fall into cohorts that take turns: while one batch is
 * routed the next cohort queues, and the clients just answered arrive a moment after that cohort's
 * batch started. The wait joins them, so a batch carries more events for the same statements
 * (`bench/api/README.md`, "Fifth round"). Once as many are queued as the previous batch held, the
 * clients it answered are back and waiting longer would only idle ("Seventh round").
 */
export function createEventBatcher(route: RouteBatch, options: EventBatchingOptions = {}): EventBatcher {
  const maxBatchSize = positiveInteger('maxBatchSize', options.maxBatchSize ?? EVENT_BATCHING_DEFAULTS.maxBatchSize);
  const maxInFlight = positiveInteger('maxInFlight', options.maxInFlight ?? EVENT_BATCHING_DEFAULTS.maxInFlight);
  const lingerMs = nonNegativeInteger('lingerMs', options.lingerMs ?? EVENT_BATCHING_DEFAULTS.lingerMs);
  const queue: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;
  /** the pending linger, while a batch waits for more events */
  let lingering: ReturnType<typeof setTimeout> | undefined;
  /** events in the last batch routed */
  let lastBatchSize = 0;

  /** Routes a batch; `release` is called once, when every tenant group released its slot or finished. */
  async function routeBatch(batch: readonly Pending[], release: () => void): Promise<void> {
    const byTenant = new Map<string, Pending[]>();
    for (const p of batch) {
      const group = byTenant.get(p.tenant) ?? [];
      group.push(p);
      byTenant.set(p.tenant, group);
    }
    let holding = byTenant.size;
    await Promise.all(
      [...byTenant].map(async ([tenant, group]) => {
        let released = false;
        const releaseGroup = (): void => {
          if (released) return;
          released = true;
          if (--holding === 0) release();
        };
        let settled: EventSettlement[];
        try {
          settled = await route(
            tenant,
            group.map((p) => p.accepted),
            releaseGroup,
          );
        } catch (error) {
          for (const p of group) p.reject(error);
          return;
        } finally {
          releaseGroup();
        }
        group.forEach((p, i) => {
          const s = settled[i]!;
          if (s.ok) p.resolve(s.result);
          else p.reject(s.error);
        });
      }),
    );
  }

  function flush(): void {
    scheduled = false;
    if (lingering !== undefined) clearTimeout(lingering);
    lingering = undefined;
    while (inFlight < maxInFlight && queue.length) {
      const batch = queue.splice(0, maxBatchSize);
      lastBatchSize = batch.length;
      inFlight++;
      let freed = false;
      const free = (): void => {
        if (freed) return;
        freed = true;
        inFlight--;
        schedule();
      };
      void routeBatch(batch, free).finally(free);
    }
  }

  /** As many queued as the last batch held (its clients are back; at most a full batch): no reason to wait longer. */
  const enoughQueued = (): boolean => queue.length >= lastBatchSize;

  function schedule(): void {
    if (lingering !== undefined && enoughQueued()) {
      // such a batch does not wait out the linger
      clearTimeout(lingering);
      lingering = undefined;
      setImmediate(flush);
      return;
    }
    if (scheduled || inFlight >= maxInFlight || queue.length === 0) return;
    scheduled = true;
    if (lingerMs > 0 && lastBatchSize > 1 && !enoughQueued()) lingering = setTimeout(flush, lingerMs);
    else setImmediate(flush);
  }

  return {
    deliver(tenant, accepted) {
      return new Promise<EventDeliveryResult>((resolve, reject) => {
        queue.push({ tenant, accepted, resolve, reject });
        schedule();
      });
    },
  };
}
