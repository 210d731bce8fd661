import { sql, type Kysely } from 'kysely';
import { runFinishedChannel } from '../engine/sql-names.js';
import type { Migration } from './migration.js';

/**
 * A run whose status becomes SUCCEEDED, FAILED or CANCELED sends `NOTIFY <runFinishedChannel>,
 * '[tenant, runId]'` (delivered at commit). One trigger on the run table covers every writer: the
 * Postgres engine's commit writer and direct inputs, and the Temporal projection.
 */
export const runFinishedNotify: Migration = {
  name: '0006-run-finished-notify',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    const fn = sql.id(schema, 'baton_notify_run_finished');
    // The channel is a hex digest (no quoting needed); the body is a dollar-quoted literal.
    const channel = runFinishedChannel(schema);
    await sql`create function ${fn}() returns trigger language plpgsql as $body$
      begin
        perform pg_notify(${sql.raw(`'${channel}'`)}, json_build_array(new.tenant_id, new.run_id)::text);
        return null;
      end
    $body$`.execute(db);
    await sql`create trigger ${sql.id('baton_run_finished')} after update of status on ${sql.id(schema, 'workflow_runs')}
      for each row when (new.status in ('SUCCEEDED', 'FAILED', 'CANCELED') and old.status is distinct from new.status)
      execute function ${fn}()`.execute(db);
  },
};
