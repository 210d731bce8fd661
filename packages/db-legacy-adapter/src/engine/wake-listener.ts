import type { PgPoolClientLike, PgPoolLike } from '../database/pg-pool.js';
import { quoteIdent } from './sql-names.js';

/** Options of {@link startWakeListener}. */
export interface WakeListenerOptions {
  readonly pool: PgPoolLike;
  readonly channel: string;
  /**
   * Called with the payload on every notification, and without one after each (re)connect since
   * notifications may have been missed.
   */
  readonly onWake: (payload?: string) => void;
  /** Called when the connection fails (it is retried). */
  readonly onError?: (error: Error) => void;
  /** Delay before reconnecting after a failure, growing x2 up to 5 s. @default 100 */
  readonly reconnectDelayMs?: number;
}

/** A running LISTEN connection. */
export interface WakeListener {
  /** Resolves once the first LISTEN succeeded (or the listener was closed). */
  readonly ready: Promise<void>;
  /** True while a LISTEN connection is up. */
  readonly connected: () => boolean;
  close(): Promise<void>;
}

const MAX_RECONNECT_DELAY_MS = 5000;

/**
 * Holds one pooled connection in `LISTEN channel` and calls `onWake` on notifications; reconnects
 * with back-off when the server goes away (e.g. restarts), then wakes once to cover the gap.
 */
export function startWakeListener(options: WakeListenerOptions): WakeListener {
  const baseDelay = options.reconnectDelayMs ?? 100;
  let closed = false;
  let client: PgPoolClientLike | undefined;
  let delay = baseDelay;
  let retryTimer: NodeJS.Timeout | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const fail = (error: Error) => {
    const broken = client;
    client = undefined;
    if (broken) {
      broken.removeAllListeners('notification');
      broken.removeAllListeners('error');
      broken.removeAllListeners('end');
      // keep a no-op error listener: a destroyed socket may still emit, and an unhandled 'error' would crash the process
      broken.on('error', () => undefined);
      broken.release(error);
    }
    if (closed) return;
    options.onError?.(error);
    retryTimer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
  };

  const connect = async () => {
    retryTimer = undefined;
    if (closed) return;
    let c: PgPoolClientLike;
    try {
      c = await options.pool.connect();
    } catch (error) {
      fail(error as Error);
      return;
    }
    if (closed) {
      c.release();
      return;
    }
    client = c;
    c.on('notification', (message) => {
      if (message.channel === options.channel) options.onWake(message.payload ?? '');
    });
    c.on('error', (error) => fail(error));
    c.on('end', () => fail(new Error('LISTEN connection ended')));
    try {
      await c.query(`LISTEN ${quoteIdent(options.channel)}`, []);
    } catch (error) {
      if (client === c) fail(error as Error);
      return;
    }
    delay = baseDelay;
    markReady();
    options.onWake();
  };

  void connect();

  return {
    ready,
    connected: () => client !== undefined,
    async close() {
      closed = true;
      markReady();
      if (retryTimer) clearTimeout(retryTimer);
      const c = client;
      client = undefined;
      if (!c) return;
      c.removeAllListeners('notification');
      c.removeAllListeners('end');
      try {
        await c.query(`UNLISTEN ${quoteIdent(options.channel)}`, []);
        c.removeAllListeners('error');
        c.release();
      } catch (error) {
        c.removeAllListeners('error');
        c.on('error', () => undefined);
        c.release(error as Error);
      }
    },
  };
}
