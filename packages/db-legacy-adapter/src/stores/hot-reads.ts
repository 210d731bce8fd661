import type { PgPoolLike } from '../database/pg-pool.js';
import { withClient } from '../engine/pooled-client.js';
import { quoteIdent } from '../engine/sql-names.js';
import { sqlStatement, type SqlStatement } from '../engine/sql-statement.js';

/**
 * Where a store sends the reads of the start and wait paths as hand-written, named (prepared)
 * statements instead of kysely-built queries: building a kysely query was 17–19 % of the ingress's
 * busy time and the event-inbox read 21 % of the worker's (`bench/api/README.md`). A store given no
 * `HotReadOptions` builds the same reads with kysely.
 */
export interface HotReadOptions {
  /** the pool the statements run on (the store's kysely instance is over the same pool) */
  readonly pool: PgPoolLike;
  /** the schema of Baton's tables */
  readonly schema: string;
  /** named statements (parsed and planned once per connection); off behind a transaction-mode pooler @default true */
  readonly preparedStatements?: boolean;
}

/** A hot read bound to its pool: runs the statement on a pooled connection and answers its rows. */
export type HotRead = <R>(values: readonly unknown[]) => Promise<R[]>;

/** Builds a {@link HotRead} from `text(table)`, where `table(name)` quotes a table of the schema. */
export function hotRead(options: HotReadOptions, purpose: string, text: (table: (name: string) => string) => string): HotRead {
  const table = (name: string) => `${quoteIdent(options.schema)}.${quoteIdent(name)}`;
  const statement: SqlStatement = sqlStatement(purpose, text(table), options.preparedStatements ?? true);
  return async <R>(values: readonly unknown[]) => (await withClient(options.pool, (client) => statement.run<R>(client, values))).rows;
}
