import { createDatabase, migrateToLatest, type MigrationResultSet } from '@baton/db-legacy-adapter';
import pg from 'pg';

/** Applies Baton's pending migrations to `schema` of the database at `databaseUrl`; throws the runner's error when it refuses. */
export async function runMigrations(databaseUrl: string, schema: string): Promise<MigrationResultSet> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const result = await migrateToLatest(createDatabase(pool, schema), { schema });
    if (result.error) throw result.error;
    return result;
  } finally {
    await pool.end();
  }
}
