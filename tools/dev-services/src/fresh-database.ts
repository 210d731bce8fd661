import crypto from 'node:crypto';
import pg from 'pg';

/** A database of its own on the harness's Postgres server, dropped by `drop()`. */
export interface FreshDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** Creates an empty database next to the one `DATABASE_URL` (from the service harness) names: for suites that need a whole database (apps with a fixed schema name). */
export async function createFreshDatabase(prefix: string): Promise<FreshDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set: run the tests through vitest (the service harness sets it)');
  const name = `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      try {
        // Sessions a pool is still closing (`pool.end()` resolves before their sockets are gone) are
        // given a moment to leave: forcing them out would make such a session's client emit an
        // error nobody listens to any more. Sessions still there after that are forced out.
        for (let i = 0; i < 40; i++) {
          const { rows } = await c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if ((rows[0]?.n ?? 0) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
