import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The rollout policy of a workflow (shadow share, rollout gate, automatic rollback), its change
 * history, and the shadow comparisons the rollout gate and the shadow report read.
 */
export const rolloutPolicy: Migration = {
  name: '0012-rollout-policy',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    const id = (name: string) => sql.id(schema, name);

    await sql`alter table ${id('workflow_policies')}
      add column shadow_policy jsonb,
      add column rollout_gate jsonb,
      add column rollback_policy jsonb`.execute(db);

    // One row per accepted policy change: who (the API key name, or baton-rollback), when, the
    // policy before and after, whether an unmet rollout gate was forced, and why.
    await sql`create table ${id('workflow_policy_history')} (
      id bigserial primary key,
      tenant_id text not null,
      workflow_name text not null,
      at timestamptz not null,
      actor text not null,
      from_policy jsonb,
      to_policy jsonb not null,
      forced boolean not null default false,
      reason text
    )`.execute(db);
    await sql`create index ${sql.id('workflow_policy_history_by_workflow')} on ${id('workflow_policy_history')}
      (tenant_id, workflow_name, at desc, id desc)`.execute(db);

    // One row per shadowed primary run: written by the shadow runner (PENDING when the shadow starts,
    // MATCH or DIFFERENT once both runs finished and were compared).
    await sql`create table ${id('shadow_comparisons')} (
      tenant_id text not null,
      workflow_name text not null,
      primary_run_id text primary key,
      shadow_run_id text,
      primary_engine text not null check (primary_engine in ('db', 'temporal')),
      shadow_engine text not null check (shadow_engine in ('db', 'temporal')),
      comparison text not null default 'PENDING' check (comparison in ('PENDING', 'MATCH', 'DIFFERENT')),
      first_difference jsonb,
      primary_latency_ms double precision,
      shadow_latency_ms double precision,
      created_at timestamptz not null default now(),
      compared_at timestamptz
    )`.execute(db);
    await sql`create index ${sql.id('shadow_comparisons_by_workflow')} on ${id('shadow_comparisons')}
      (tenant_id, workflow_name, compared_at)`.execute(db);
  },
};
