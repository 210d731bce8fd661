import type pg from 'pg';
import type { Logger } from 'pino';

/** Options of {@link startAdvisoryLockLoop}. */
export interface AdvisoryLockLoopOptions<T> {
  /** the worker's pool: the session advisory lock lives on one of its connections for the whole pass */
  readonly pool: pg.Pool;
  /** what the lock is keyed by (hashed with `hashtextextended`); one key per loop and schema */
  readonly lockKey: string;
  readonly intervalMs: number;
  readonly logger: Logger;
  /** the log line of a failed pass */
  readonly failureMessage: string;
  /** one pass, run only while this worker holds the lock */
  readonly body: () => Promise<T>;
}

/** A running loop. */
export interface AdvisoryLockLoop<T> {
  /** One pass now (what the timer does): `undefined` when another worker holds the lock, the loop stopped, or the pass failed. A pass already running is joined. */
  pass(): Promise<T | undefined>;
  /** Stops the timer and waits for a running pass. */
  stop(): Promise<void>;
}

/**
 * Runs `body` every `intervalMs` on one worker at a time: a pass runs only while its worker holds a
 * session advisory lock (`pg_try_advisory_lock`); the others skip that pass, and Postgres releases the
 * lock if the worker dies. A server that goes away during a pass fails that pass (logged) instead of
 * crashing the process, and its connection is closed, not reused; the next pass takes a fresh one.
 */
export function startAdvisoryLockLoop<T>(options: AdvisoryLockLoopOptions<T>): AdvisoryLockLoop<T> {
  const { logger, lockKey } = options;
  let running: Promise<T | undefined> | undefined;
  let stopped = false;

  async function passUnderLock(): Promise<T | undefined> {
    const client = await options.pool.connect();
    let locked = false;
    let broken: Error | undefined;
    // The connection is held for the whole pass: a server that goes away meanwhile makes node-postgres
    // emit `error` on it, an uncaught exception without this listener.
    const onError = (error: Error): void => {
      broken ??= error;
    };
    client.on('error', onError);
    try {
      locked = (await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [lockKey])).rows[0]?.locked === true;
      if (!locked) return undefined;
      return await options.body();
    } finally {
      if (locked) {
        await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]).catch((error: unknown) => {
          broken = error instanceof Error ? error : new Error(String(error));
        });
      }
      // A connection that broke or whose unlock failed is closed (which releases the lock), not put back
      // in the pool; it keeps the listener, its socket may still emit while being destroyed.
      if (!broken) client.removeListener('error', onError);
      client.release(broken);
    }
  }

  const pass = (): Promise<T | undefined> => {
    if (stopped) return Promise.resolve(undefined);
    running ??= passUnderLock()
      .catch((error: unknown) => {
        logger.warn({ err: error }, options.failureMessage);
        return undefined;
      })
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void pass(), options.intervalMs);
  timer.unref();
  return {
    pass,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
