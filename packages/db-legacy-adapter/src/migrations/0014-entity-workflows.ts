import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Entity workflows (SPEC-dsl "Entity workflows"): `workflow_entities` is the claim row of each
 * (tenant, workflow, entity key), locked by every admission of an event to it, naming the entity's
 * live (or last) run and the last sequence number given out; `workflow_entity_events` is the entity's
 * queue: each admitted event with its sequence number and the run that takes it. Runs record the
 * entity key they serve (`run.entityKey`).
 */
export const entityWorkflows: Migration = {
  name: '0014-entity-workflows',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    const id = (name: string) => sql.id(schema, name);
    await sql`alter table ${id('workflow_runs')} add column entity_key text`.execute(db);
    await sql`create table ${id('workflow_entities')} (
      tenant_id text not null,
      workflow_name text not null,
      entity_key text not null,
      run_id text,
      last_sequence bigint not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, workflow_name, entity_key)
    )`.execute(db);
    await sql`create table ${id('workflow_entity_events')} (
      tenant_id text not null,
      workflow_name text not null,
      entity_key text not null,
      sequence bigint not null,
      event_id text not null,
      event_name text not null,
      payload jsonb not null,
      received_at timestamptz not null,
      run_id text,
      role text not null check (role in ('START', 'QUEUED', 'REJECTED')),
      error jsonb,
      primary key (tenant_id, workflow_name, entity_key, sequence),
      unique (tenant_id, workflow_name, entity_key, event_id)
    )`.execute(db);
    // An entity wait's inbox: the queued events of its run, in sequence order.
    await sql`create index ${sql.id('workflow_entity_events_run')} on ${id('workflow_entity_events')}
      (run_id, sequence) where role = 'QUEUED'`.execute(db);
  },
};
