import type { PgPoolClientLike, PgPoolLike } from '../database/pg-pool.js';
import { isConnectionError } from './connection-errors.js';

/**
 * Runs `work` on a pooled connection. While it is checked out the connection has an `error`
 * listener: a server that goes away (restart, failover) between two statements makes node-postgres
 * emit `error` on an idle checked-out client, which would otherwise crash the process. A broken
 * connection is destroyed instead of going back to the pool.
 */
export async function withClient<T>(pool: PgPoolLike, work: (client: PgPoolClientLike) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } catch (error) {
    if (isConnectionError(error)) broken ??= error as Error;
    throw error;
  } finally {
    // a broken connection keeps the listener: its socket may still emit while being destroyed
    if (!broken) client.removeListener('error', onError);
    client.release(broken);
  }
}
