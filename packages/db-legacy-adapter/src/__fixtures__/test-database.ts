import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { createDatabase } from '../database/create-database.js';
import type { Database } from '../database/database-types.js';
import { migrateToLatest } from '../migrations/migrate.js';

/** A fresh schema in the harness Postgres; `drop()` removes it and ends the pool. */
export interface TestDatabase {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly db: Kysely<Database>;
  drop(): Promise<void>;
}

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through vitest (the harness starts Postgres)');
  return url;
}

/** A unique schema name; `awkward` adds a space, capitals and a double quote to prove quoting everywhere. */
export function testSchemaName(prefix: string, awkward = false): string {
  const suffix = randomUUID().slice(0, 8);
  return awkward ? `Baton "${prefix}" Sch.ema ${suffix}` : `t_${prefix.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${suffix}`;
}

/** Creates a pool and a fresh schema; `migrate` (default true) applies every migration. */
export async function createTestDatabase(prefix: string, options: { awkward?: boolean; migrate?: boolean; max?: number; url?: string } = {}): Promise<TestDatabase> {
  const pool = new pg.Pool({ connectionString: options.url ?? databaseUrl(), max: options.max ?? 10 });
  pool.on('error', () => undefined);
  const schema = testSchemaName(prefix, options.awkward);
  const db = createDatabase(pool, schema);
  if (options.migrate !== false) {
    const result = await migrateToLatest(db, { schema });
    if (result.error) throw result.error;
  }
  return {
    pool,
    schema,
    db,
    async drop() {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
      await pool.end();
    },
  };
}
