import type { FastifyBaseLogger } from 'fastify';
import type { Runtime } from '@baton/runtime-core';

/** Options of {@link startTaskHandoffDrainer}. */
export interface TaskHandoffDrainerOptions {
  readonly runtime: Pick<Runtime, 'drainTaskHandoffs'>;
  /** time between drains @default 5_000 */
  readonly intervalMs?: number;
  readonly logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
}

/** A running drainer of the task hand-off outbox. */
export interface TaskHandoffDrainer {
  /** Stops draining and waits for a drain in progress. */
  stop(): Promise<void>;
}

/**
 * Drains the task hand-off outbox every `intervalMs`: completions recorded by a request that crashed
 * or could not reach the engine are handed to their runs at least once. Every ingress replica runs
 * one; claims are leases, so replicas do not hand the same completion over at the same time.
 */
export function startTaskHandoffDrainer(options: TaskHandoffDrainerOptions): TaskHandoffDrainer {
  const { runtime, logger } = options;
  const intervalMs = options.intervalMs ?? 5_000;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const drain = async () => {
    try {
      const result = await runtime.drainTaskHandoffs();
      if (result.claimed) logger.info({ ...result, failed: result.failed.length }, 'task hand-offs drained');
      for (const f of result.failed) logger.warn(f, 'task hand-off failed; it will be retried');
    } catch (err) {
      logger.error({ err }, 'task hand-off drain failed');
    }
  };
  const timer = setInterval(() => {
    if (stopped) return;
    current = current.then(drain);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
