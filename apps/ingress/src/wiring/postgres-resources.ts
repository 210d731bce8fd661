import pg from 'pg';
import { createDatabase, createPostgresRunCompletionFeed, createPostgresStores, migrateToLatest, type PostgresRunCompletionFeed } from '@baton/db-legacy-adapter';
import type { RuntimeStores } from '@baton/runtime-core';
import type { HealthCheck } from '../health/health-check.js';

/** Options of {@link openPostgres}. */
export interface OpenPostgresOptions {
  readonly url: string;
  /** schema holding Baton's tables @default 'baton' */
  readonly schema?: string;
  /** apply pending migrations first @default true */
  readonly migrate?: boolean;
  /** pool size @default 10 */
  readonly poolSize?: number;
}

/** The Postgres side of the ingress: a pool, the stores over it and a reachability probe. */
export interface PostgresResources {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly stores: RuntimeStores;
  /** finished-run notifications for `?wait=` requests: one LISTEN connection of the pool */
  readonly completions: PostgresRunCompletionFeed;
  readonly health: HealthCheck;
  /** Answers the waiting requests, stops listening and ends the pool. */
  close(): Promise<void>;
}

/** Opens the pool, applies pending migrations (the runner serializes concurrent starts) and builds the stores. */
export async function openPostgres(options: OpenPostgresOptions): Promise<PostgresResources> {
  const schema = options.schema ?? 'baton';
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    if (options.migrate ?? true) {
      const result = await migrateToLatest(createDatabase(pool, schema), { schema });
      if (result.error) throw result.error;
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  const completions = createPostgresRunCompletionFeed({ pool, schema });
  return {
    pool,
    schema,
    stores: createPostgresStores({ pool, schema }),
    completions,
    health: {
      name: 'database',
      check: async () => {
        await pool.query('select 1');
      },
    },
    async close() {
      await completions.close();
      await pool.end();
    },
  };
}
