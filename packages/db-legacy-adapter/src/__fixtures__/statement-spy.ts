import type { PgPoolClientLike, PgPoolLike } from '../database/pg-pool.js';

/** A named statement as a spied pool saw it sent. */
export interface SpiedStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** A pool over `pool` that watches the named statements whose name mentions `purpose`. */
export interface StatementSpy {
  readonly pool: PgPoolLike;
  /** how many such statements were sent */
  statements(): number;
  /** the last one sent, if any */
  last(): SpiedStatement | undefined;
}

/** Wraps `pool` so that the tests can count and read back the named statements of one purpose. */
export function spyOnStatements(pool: PgPoolLike, purpose: string): StatementSpy {
  let count = 0;
  let last: SpiedStatement | undefined;
  const spied: PgPoolLike = Object.assign(Object.create(pool) as PgPoolLike, {
    async connect() {
      const client = await pool.connect();
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      return Object.assign(Object.create(client) as PgPoolClientLike, {
        query: (...args: unknown[]) => {
          const first = args[0] as { name?: string; text?: string; values?: unknown[] } | string;
          if (typeof first === 'object' && first?.name?.includes(purpose)) {
            count += 1;
            last = { text: first.text!, values: first.values ?? (args[1] as unknown[]) ?? [] };
          }
          return query(...args);
        },
        release: (error?: Error | boolean) => client.release(error),
      });
    },
  });
  return { pool: spied, statements: () => count, last: () => last };
}
