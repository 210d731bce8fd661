import type { PgPoolClientLike, PgPoolLike } from './pg-pool.js';

/**
 * A pool whose every checkout is `client` itself (release is a no-op), so kysely-based stores can
 * run inside a transaction the caller holds. Used on cache misses under a row lock: taking a second
 * pool connection there would deadlock once every connection holds a lock and waits for another.
 */
export function connectionBoundPool(client: PgPoolClientLike): PgPoolLike {
  const borrowed = new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'release') return () => undefined;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    connect: async () => borrowed,
    end: async () => undefined,
  };
}
