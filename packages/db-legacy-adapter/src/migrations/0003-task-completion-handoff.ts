import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The outbox of human-task completions: a completion is recorded with a `PENDING` hand-off in the
 * same row update, and stays pending until the run's engine accepted it (a drainer retries it), so a
 * crash between recording and handing off never strands the run.
 */
export const taskCompletionHandoff: Migration = {
  name: '0003-task-completion-handoff',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    const table = sql.id(schema, 'workflow_human_tasks');
    await sql`alter table ${table}
      add column handoff text check (handoff in ('PENDING', 'DELIVERED', 'REFUSED')),
      add column handoff_due_at timestamptz,
      add column handoff_attempts integer not null default 0,
      add column handoff_error text`.execute(db);
    await sql`create index ${sql.id('workflow_human_tasks_handoff_due')} on ${table} (handoff_due_at) where handoff = 'PENDING'`.execute(db);
  },
};
