import { migrateToLatest, type MigrationResultSet } from '@baton/db-legacy-adapter';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';

/** Applies Baton's pending migrations to `schema` over `pool` (the pool stays open); throws when the runner refuses. */
export async function runMigrations(pool: pg.Pool, schema: string): Promise<MigrationResultSet> {
  // A pool that kysely may not end: the worker keeps using it afterwards.
  const borrowed = { connect: () => pool.connect(), end: () => Promise.resolve() };
  const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool: borrowed }) });
  try {
    const result = await migrateToLatest(db, { schema });
    if (result.error) throw result.error;
    return result;
  } finally {
    await db.destroy();
  }
}
