import { createHash } from 'node:crypto';
import type { PostgresQueryResult } from 'kysely';
import type { PgPoolClientLike } from '../database/pg-pool.js';

/** A hot-path statement: sent as a named (prepared) statement unless prepared statements are off. */
export interface SqlStatement {
  readonly text: string;
  run<R>(client: Pick<PgPoolClientLike, 'query'>, values: readonly unknown[]): Promise<PostgresQueryResult<R>>;
}

/**
 * Wraps `text` as a statement. The name is derived from the text (schema included), so one name
 * never stands for two texts on a connection. Prepared statements save the parse and plan of the
 * big commit statement on every batch; turn them off behind a transaction-mode pooler.
 */
export function sqlStatement(purpose: string, text: string, prepared: boolean): SqlStatement {
  const name = `baton_${purpose}_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  return {
    text,
    run: <R>(client: Pick<PgPoolClientLike, 'query'>, values: readonly unknown[]) =>
      prepared ? client.query<R>({ name, text, values }) : client.query<R>(text, values),
  };
}
