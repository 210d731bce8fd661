import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The event inbox (SPEC-dsl "Event inbox"): every accepted event with a correlation key gets a row,
 * kept for the retention period, so a wait that opens later takes it. The audit row
 * (`workflow_runtime_events`) holds the payload; pruning the inbox leaves the audit alone.
 */
export const eventInbox: Migration = {
  name: '0002-event-inbox',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    const id = (name: string) => sql.id(schema, name);
    await sql`create table ${id('workflow_event_inbox')} (
      tenant_id text not null,
      event_id text not null,
      event_name text not null,
      correlation_key text not null,
      received_at timestamptz not null,
      primary key (tenant_id, event_id)
    )`.execute(db);
    // What a wait that opens asks: the earliest events of its (name, key) received since a time.
    await sql`create index ${sql.id('workflow_event_inbox_take')} on ${id('workflow_event_inbox')}
      (tenant_id, event_name, correlation_key, received_at)`.execute(db);
    await sql`create index ${sql.id('workflow_event_inbox_received')} on ${id('workflow_event_inbox')} (received_at)`.execute(db);
    // "Has this run taken this event?": the event id a wait of the run was resolved by.
    await sql`create index ${sql.id('workflow_run_waits_resolved_by')} on ${id('workflow_run_waits')}
      (run_id, resolved_by) where resolved_by is not null`.execute(db);
  },
};
