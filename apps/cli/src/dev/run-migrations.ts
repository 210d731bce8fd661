import { migrateToLatest, type MigrationResultSet } from '@baton/db-legacy-adapter';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

/** Applies Baton's pending migrations to `schema` of the database at `databaseUrl`; throws the runner's error when it refuses. */
export async function runMigrations(databaseUrl: string, schema: string): Promise<MigrationResultSet> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool }) });
  try {
    const result = await migrateToLatest(db, { schema });
    if (result.error) throw result.error;
    return result;
  } finally {
    await db.destroy();
  }
}
