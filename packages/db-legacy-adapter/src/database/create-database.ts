import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './database-types.js';
import { guardedPool } from './guarded-pool.js';
import type { PgPoolLike } from './pg-pool.js';

/**
 * A kysely instance over `pool` whose table names resolve in `schema`. Its connections survive the
 * server going away ({@link guardedPool}). Do not `destroy()` it when the pool is yours: kysely
 * would end the pool.
 */
export function createDatabase(pool: PgPoolLike, schema: string): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: guardedPool(pool) }) }).withSchema(schema);
}
