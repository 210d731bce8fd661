import type { FastifyBaseLogger } from 'fastify';
import type { EventInbox } from '@baton/runtime-core';

/** Options of {@link startInboxPruner}. */
export interface InboxPrunerOptions {
  readonly inbox: EventInbox;
  /** `BATON_EVENT_INBOX_RETENTION` in ms: events received longer ago leave the inbox. */
  readonly retentionMs: number;
  /** Events removed per statement. @default 1000 */
  readonly batchSize?: number;
  /** Statements per round at most (the rest waits for the next round). @default 20 */
  readonly maxBatchesPerRound?: number;
  /** Time between rounds. @default 60000 */
  readonly intervalMs?: number;
  readonly logger?: FastifyBaseLogger;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** A running pruner. */
export interface InboxPruner {
  /** One round now: bounded batches until the inbox holds nothing older than the retention (or the round's cap); answers how many events it removed. */
  pruneOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Removes events older than the retention from the event inbox in bounded batches (each a short
 * statement, so a backlog never holds a long transaction), once per interval. Every ingress replica
 * may run one: the deletes are idempotent.
 */
export function startInboxPruner(options: InboxPrunerOptions): InboxPruner {
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatchesPerRound ?? 20;
  const clock = options.clock ?? (() => new Date());
  let running: Promise<number> | undefined;

  const pruneOnce = (): Promise<number> => {
    running ??= (async () => {
      const before = new Date(clock().getTime() - options.retentionMs).toISOString();
      let removed = 0;
      for (let batch = 0; batch < maxBatches; batch++) {
        const n = await options.inbox.prune(before, batchSize);
        removed += n;
        if (n < batchSize) break;
      }
      return removed;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => {
    pruneOnce().then(
      (removed) => {
        if (removed) options.logger?.info({ removed }, 'event inbox pruned');
      },
      (err: unknown) => options.logger?.warn({ err }, 'event inbox pruning failed; retried next round'),
    );
  }, options.intervalMs ?? 60_000);
  timer.unref();

  return {
    pruneOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
