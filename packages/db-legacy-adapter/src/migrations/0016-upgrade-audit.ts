import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Definition upgrades (`baton upgrade apply`): one audit row per run an apply handed to its engine,
 * MOVED or SKIPPED (with the reason), who applied it (the API key name) and when. The Postgres engine
 * writes a db run's row in the transaction that moves the run.
 */
export const upgradeAudit: Migration = {
  name: '0016-upgrade-audit',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    const id = (name: string) => sql.id(schema, name);
    await sql`create table ${id('workflow_run_upgrades')} (
      id bigserial primary key,
      tenant_id text not null,
      workflow_name text not null,
      run_id text not null,
      engine text not null check (engine in ('db', 'temporal')),
      from_version text not null,
      to_version text not null,
      actor text not null,
      at timestamptz not null,
      outcome text not null check (outcome in ('MOVED', 'SKIPPED')),
      reason text
    )`.execute(db);
    await sql`create index ${sql.id('workflow_run_upgrades_by_workflow')} on ${id('workflow_run_upgrades')} (tenant_id, workflow_name, id desc)`.execute(db);
    await sql`create index ${sql.id('workflow_run_upgrades_by_run')} on ${id('workflow_run_upgrades')} (tenant_id, run_id, id desc)`.execute(db);
  },
};
