import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Shadow runs: which run is a shadow of which primary (`shadow_of` on the shadow, `shadow_run_id`
 * on the primary), and the primaries' action outcomes the shadows answer their calls from.
 */
export const shadowRuns: Migration = {
  name: '0013-shadow-runs',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    await sql`alter table ${sql.id(schema, 'workflow_runs')} add column shadow_of text, add column shadow_run_id text`.execute(db);
    await sql`create table ${sql.id(schema, 'shadow_invocations')} (
      tenant_id text not null,
      primary_run_id text not null,
      invocation_key text not null,
      ok boolean not null,
      output jsonb,
      error jsonb,
      recorded_at timestamptz not null default now(),
      primary key (tenant_id, primary_run_id, invocation_key)
    )`.execute(db);
  },
};
