// The structural subset of node-postgres this package uses (kysely's `PostgresPool` pattern), so users
// may pass their own `pg.Pool` (or anything shaped like it) without this package owning the driver.
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/** A query with a statement name: node-postgres parses and plans it once per connection. */
export interface PgNamedQuery {
  readonly name: string;
  readonly text: string;
  readonly values: readonly unknown[];
}

/** A server notification (`NOTIFY channel, 'payload'`). */
export interface PgNotification {
  readonly channel: string;
  readonly payload?: string;
}

/** A pooled connection: kysely's client plus the events LISTEN/NOTIFY needs. */
export interface PgPoolClientLike extends PostgresPoolClient {
  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(query: PgNamedQuery): Promise<PostgresQueryResult<R>>;
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  /** Returns the connection; passing an error destroys it instead of reusing it. */
  release(error?: Error | boolean): void;
}

/** A connection pool: what `new pg.Pool(...)` offers and this package calls. */
export interface PgPoolLike extends PostgresPool {
  connect(): Promise<PgPoolClientLike>;
  end(): Promise<void>;
}
