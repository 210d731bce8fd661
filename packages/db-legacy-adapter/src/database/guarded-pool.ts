import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type { PgPoolLike } from './pg-pool.js';

/**
 * The pool as kysely sees it: every connection it checks out has an `error` listener until it is
 * released. node-postgres emits `error` on a checked-out client whose server went away (a restart, a
 * crash, a failover), even while a query is running (the query fails too); with no listener that is
 * an uncaught exception that ends the process. A connection that broke is destroyed on release
 * instead of going back to the pool. (`withClient` does the same for the engine's own connections.)
 */
export function guardedPool(pool: PgPoolLike): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let broken: Error | undefined;
      const onError = (error: Error): void => {
        broken = error;
      };
      client.on('error', onError);
      return {
        query: ((...args: Parameters<PostgresPoolClient['query']>) => (client.query as (...a: unknown[]) => unknown)(...args)) as PostgresPoolClient['query'],
        release: () => {
          // a broken connection keeps the listener: its socket may still emit while being destroyed
          if (!broken) client.removeListener('error', onError);
          client.release(broken);
        },
      };
    },
    end: () => pool.end(),
  };
}
