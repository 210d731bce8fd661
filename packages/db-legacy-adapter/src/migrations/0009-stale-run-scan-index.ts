import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * An index for the Temporal reconciler's scan of unfinished Temporal runs, in run id order. It
 * indexes `run_id` only (never `updated_at`, which changes at every step commit and would turn the
 * Postgres engine's HOT updates of `workflow_runs` into index updates); the predicate columns
 * (`engine`, `status`) change only when a run finishes.
 */
export const staleRunScanIndex: Migration = {
  name: '0009-stale-run-scan-index',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    await sql`create index ${sql.id('workflow_runs_temporal_unfinished')} on ${sql.id(schema, 'workflow_runs')} (run_id)
      where engine = 'temporal' and status in ('RUNNING', 'WAITING')`.execute(db);
  },
};
