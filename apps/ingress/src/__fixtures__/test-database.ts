import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createDatabase, migrateToLatest } from '@baton/db-legacy-adapter';

/** A fresh, migrated schema in the harness Postgres; `drop()` removes it and ends the pool. */
export interface TestDatabase {
  readonly pool: pg.Pool;
  readonly schema: string;
  drop(): Promise<void>;
}

/** The harness Postgres URL (vitest's global setup exports it). */
export function requireEnv(name: 'DATABASE_URL' | 'REDIS_URL' | 'TEMPORAL_ADDRESS'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through vitest (the harness starts the services)`);
  return value;
}

/** Creates a small pool (the harness Postgres allows 30 connections for every suite running) and a fresh, migrated schema. */
export async function createTestDatabase(suite: string, options: { readonly poolSize?: number } = {}): Promise<TestDatabase> {
  const pool = new pg.Pool({ connectionString: requireEnv('DATABASE_URL'), max: options.poolSize ?? 6 });
  pool.on('error', () => undefined);
  const schema = `t_ingress_${suite.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomUUID().slice(0, 8)}`;
  const result = await migrateToLatest(createDatabase(pool, schema), { schema });
  if (result.error) throw result.error;
  return {
    pool,
    schema,
    async drop() {
      await pool.query(`drop schema if exists "${schema}" cascade`);
      await pool.end();
    },
  };
}
