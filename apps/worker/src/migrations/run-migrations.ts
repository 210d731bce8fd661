import { createDatabase, migrateToLatest, type MigrationResultSet } from '@baton/db-legacy-adapter';
import type pg from 'pg';

/** Applies Baton's pending migrations to `schema` over `pool` (the pool stays open); throws when the runner refuses. */
export async function runMigrations(pool: pg.Pool, schema: string): Promise<MigrationResultSet> {
  const result = await migrateToLatest(createDatabase(pool, schema), { schema });
  if (result.error) throw result.error;
  return result;
}
