import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

const RUN_STATUSES = sql`('RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELED')`;
const ENGINES = sql`('db', 'temporal')`;

/** Tables of the first release: definitions, policies, runs, steps, waits, events, invocations, tasks. */
export const initialSchema: Migration = {
  name: '0001-initial-schema',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    // sql.id quotes each part verbatim, so a schema name with dots, quotes or spaces stays one identifier.
    const id = (name: string) => sql.id(schema, name);

    await sql`create table ${id('workflow_definitions')} (
      tenant_id text not null,
      name text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, name)
    )`.execute(db);

    await sql`create table ${id('workflow_definition_versions')} (
      tenant_id text not null,
      name text not null,
      version text not null,
      content_hash text not null,
      definition jsonb not null,
      trigger_event_name text,
      published_at timestamptz not null default now(),
      primary key (tenant_id, name, version),
      foreign key (tenant_id, name) references ${id('workflow_definitions')} (tenant_id, name)
    )`.execute(db);
    await sql`create index ${sql.id('workflow_definition_versions_trigger')} on ${id('workflow_definition_versions')}
      (tenant_id, trigger_event_name) where trigger_event_name is not null`.execute(db);

    await sql`create table ${id('workflow_policies')} (
      tenant_id text not null,
      workflow_name text not null,
      version_policy jsonb,
      engine_policy jsonb,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, workflow_name)
    )`.execute(db);

    await sql`create table ${id('workflow_runs')} (
      run_id text primary key,
      tenant_id text not null,
      workflow_name text not null,
      workflow_version text not null,
      engine text not null check (engine in ${ENGINES}),
      status text not null check (status in ${RUN_STATUSES}),
      definition_hash text not null,
      execution_key text,
      run_key text not null,
      input jsonb not null,
      output jsonb,
      error jsonb,
      parent_run_id text,
      parent_step_id text,
      trigger_event_id text,
      current_step_id text,
      generation integer not null default 0,
      state jsonb,
      wake_at timestamptz,
      lease_owner text,
      lease_expires_at timestamptz,
      fencing_token bigint not null default 0,
      cancel_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      completed_at timestamptz,
      check (engine = 'db' or (state is null and wake_at is null and lease_owner is null))
    ) with (fillfactor = 70)`.execute(db);
    // fillfactor 70: a run row is rewritten at every step commit (state, lease); free room in its page
    // lets most of those be HOT updates that leave the five indexes alone.
    await sql`create unique index ${sql.id('workflow_runs_execution_key')} on ${id('workflow_runs')}
      (tenant_id, workflow_name, execution_key) where execution_key is not null`.execute(db);
    // The claim query's index: only runs of this engine that a worker must look at.
    await sql`create index ${sql.id('workflow_runs_claim')} on ${id('workflow_runs')} (wake_at)
      where engine = 'db' and wake_at is not null`.execute(db);
    await sql`create index ${sql.id('workflow_runs_list')} on ${id('workflow_runs')} (tenant_id, created_at desc, run_id desc)`.execute(db);
    await sql`create index ${sql.id('workflow_runs_status')} on ${id('workflow_runs')} (tenant_id, status)`.execute(db);
    await sql`create index ${sql.id('workflow_runs_parent')} on ${id('workflow_runs')} (parent_run_id) where parent_run_id is not null`.execute(db);

    await sql`create table ${id('workflow_run_steps')} (
      tenant_id text not null,
      run_id text not null references ${id('workflow_runs')} (run_id) on delete cascade,
      step_id text not null,
      iteration text not null,
      generation integer not null,
      seq integer not null,
      path text not null,
      step_type text not null,
      status text not null check (status in ${RUN_STATUSES}),
      attempt integer not null,
      started_at timestamptz not null,
      completed_at timestamptz,
      output jsonb,
      error jsonb,
      fencing_token bigint not null default 0,
      updated_at timestamptz not null default now(),
      primary key (run_id, step_id, iteration)
    )`.execute(db);

    await sql`create table ${id('workflow_run_waits')} (
      tenant_id text not null,
      run_id text not null references ${id('workflow_runs')} (run_id) on delete cascade,
      wait_id text not null,
      engine text not null check (engine in ${ENGINES}),
      wait_type text not null check (wait_type in ('EVENT', 'HUMAN_TASK', 'TIMER', 'CHILD_WORKFLOW')),
      step_id text not null,
      event_name text,
      correlation_key text,
      due_at timestamptz,
      status text not null check (status in ('WAITING', 'RESOLVED', 'CANCELED', 'TIMED_OUT')),
      detail jsonb,
      resolved_by text,
      created_at timestamptz not null default now(),
      resolved_at timestamptz,
      primary key (run_id, wait_id)
    )`.execute(db);
    await sql`create index ${sql.id('workflow_run_waits_route')} on ${id('workflow_run_waits')}
      (tenant_id, event_name, correlation_key, status)`.execute(db);

    await sql`create table ${id('workflow_runtime_events')} (
      tenant_id text not null,
      event_id text not null,
      event_name text not null,
      envelope_correlation_key text,
      payload jsonb not null,
      occurred_at timestamptz,
      received_at timestamptz not null default now(),
      status text not null check (status in ('RECEIVED', 'PROCESSED', 'FAILED')),
      deliveries integer not null default 1,
      correlation_key text,
      correlation_source text,
      routed_runs jsonb,
      started_runs jsonb,
      errors jsonb,
      processed_at timestamptz,
      primary key (tenant_id, event_id)
    )`.execute(db);

    await sql`create table ${id('workflow_action_invocations')} (
      tenant_id text not null,
      idempotency_key text not null,
      run_id text not null,
      step_id text not null,
      action text not null,
      action_version integer not null,
      attempt integer not null,
      status text not null check (status in ('COMPLETED', 'FAILED')),
      output jsonb,
      error jsonb,
      created_at timestamptz not null default now(),
      completed_at timestamptz not null default now(),
      primary key (tenant_id, idempotency_key)
    )`.execute(db);
    await sql`create index ${sql.id('workflow_action_invocations_run')} on ${id('workflow_action_invocations')} (run_id)`.execute(db);

    await sql`create table ${id('workflow_human_tasks')} (
      tenant_id text not null,
      task_id text not null,
      run_id text not null references ${id('workflow_runs')} (run_id) on delete cascade,
      engine text not null check (engine in ${ENGINES}),
      step_id text not null,
      task_type text not null,
      title text not null,
      form_schema jsonb,
      assignee text,
      status text not null check (status in ('OPEN', 'COMPLETED', 'CANCELED')),
      close_reason text check (close_reason in ('CANCELED', 'TIMED_OUT')),
      response jsonb,
      completed_by text,
      due_at timestamptz,
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      primary key (tenant_id, task_id)
    )`.execute(db);
    await sql`create index ${sql.id('workflow_human_tasks_run')} on ${id('workflow_human_tasks')} (run_id)`.execute(db);
    await sql`create index ${sql.id('workflow_human_tasks_status')} on ${id('workflow_human_tasks')} (tenant_id, status, created_at)`.execute(db);
  },
};
