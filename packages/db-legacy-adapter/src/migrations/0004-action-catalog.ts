import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The live action catalog (what each worker provides, kept alive by heartbeat) and the action a
 * Postgres-engine run waits for when no worker that claimed it could run it.
 */
export const actionCatalog: Migration = {
  name: '0004-action-catalog',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    const id = (name: string) => sql.id(schema, name);

    await sql`create table ${id('action_catalog')} (
      worker_id text not null,
      engine text not null check (engine in ('db', 'temporal')),
      action text not null,
      action_version integer not null,
      description text,
      input_schema jsonb not null,
      output_schema jsonb not null,
      registered_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (worker_id, engine, action, action_version)
    )`.execute(db);
    await sql`create index ${sql.id('action_catalog_live')} on ${id('action_catalog')} (action, action_version, engine, expires_at)`.execute(db);

    // `needs_action` = 'id@version' the run's next step waits for (no worker that claimed it has it);
    // only workers that provide it claim the run, until `needs_action_deadline` (then it fails ACTION_UNAVAILABLE).
    await sql`alter table ${id('workflow_runs')}
      add column needs_action text,
      add column needs_action_since timestamptz,
      add column needs_action_deadline timestamptz`.execute(db);
  },
};
