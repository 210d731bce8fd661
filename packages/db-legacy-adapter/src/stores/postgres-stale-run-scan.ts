import type { Kysely } from 'kysely';
import type { StaleRunScan } from '@baton/runtime-core';
import type { Database } from '../database/database-types.js';
import { toRunRecord } from './run-row-mapping.js';

/** Largest page `listStale` returns. */
const MAX_STALE_PAGE = 1000;

/**
 * {@link StaleRunScan} over `workflow_runs`, across tenants: unfinished runs of an engine not
 * updated since a time, in run id order (on the partial index `workflow_runs_temporal_unfinished`
 * for Temporal runs).
 */
export function createPostgresStaleRunScan(db: Kysely<Database>): StaleRunScan {
  return {
    async listStale(q) {
      let query = db
        .selectFrom('workflow_runs')
        .selectAll()
        .where('engine', '=', q.engine)
        .where('status', 'in', ['RUNNING', 'WAITING'])
        .where('updated_at', '<', new Date(q.updatedBefore));
      if (q.afterRunId !== undefined) query = query.where('run_id', '>', q.afterRunId);
      const rows = await query.orderBy('run_id').limit(Math.max(1, Math.min(Math.floor(q.limit), MAX_STALE_PAGE))).execute();
      return rows.map(toRunRecord);
    },
  };
}
