import type { PgPoolLike } from '../database/pg-pool.js';
import { GroupQueue } from '../engine/group-queue.js';
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

/** A grouped hot read: answers the rows of one request (its `values`), read together with the requests made meanwhile. */
export type GroupedHotRead = <R>(values: readonly unknown[]) => Promise<R[]>;

/** Requests read in one statement at most. */
const GROUPED_READ_BATCH = 64;

/**
 * Builds a {@link GroupedHotRead}: the requests made while a read is running are read together in
 * the next statement, so N concurrent starts (or waits opening) cost one round trip instead of N.
 * `text(table)` takes each request parameter as an array (`$1::text[]`, ...: one element per request),
 * unnests them `WITH ORDINALITY AS k(..., req)` and answers `k.req` (1-based) on every row. A request
 * is only read by a statement that began after it was made, so a read still sees every commit that
 * returned before it was asked (the policy a `PUT …/policy` wrote, the wait its run just committed).
 * Identical requests in one statement are read once.
 */
export function groupedHotRead(options: HotReadOptions, purpose: string, text: (table: (name: string) => string) => string): GroupedHotRead {
  const table = (name: string) => `${quoteIdent(options.schema)}.${quoteIdent(name)}`;
  const statement: SqlStatement = sqlStatement(purpose, text(table), options.preparedStatements ?? true);
  const queue = new GroupQueue<readonly unknown[], unknown[]>({
    maxBatch: GROUPED_READ_BATCH,
    maxInFlight: 2,
    run: async (requests) => {
      const slots = new Map<string, number>();
      const distinct: (readonly unknown[])[] = [];
      const slotOf = requests.map((values) => {
        const key = JSON.stringify(values);
        let slot = slots.get(key);
        if (slot === undefined) {
          slot = distinct.push(values) - 1;
          slots.set(key, slot);
        }
        return slot;
      });
      const columns = distinct[0]!.map((_, column) => distinct.map((values) => values[column]));
      const { rows } = await withClient(options.pool, (client) => statement.run<{ req: string | number }>(client, columns));
      const bySlot: unknown[][] = distinct.map(() => []);
      for (const { req, ...row } of rows) bySlot[Number(req) - 1]!.push(row);
      return slotOf.map((slot) => [...bySlot[slot]!]);
    },
  });
  return <R>(values: readonly unknown[]) => queue.submit(values) as Promise<R[]>;
}
