import type pg from 'pg';
import { summarize } from '../shared/latency-stats.js';

/**
 * Where the time of a phase's runs went, read back from their rows (every stamp is the database's
 * `now()`, so the ingress, the worker and this process share one clock): from the run's insert to
 * the commit of its first step (for the API path: the worker's claim after the ingress's insert),
 * and from that commit to the run's finish (the remaining steps). p50 of each, in ms.
 */
export interface RunTimeline {
  readonly runs: number;
  /** run row inserted -> first step's commit */
  readonly toFirstStepMs: number;
  /** first step's commit -> run finished */
  readonly restMs: number;
  /** run row inserted -> run finished */
  readonly totalMs: number;
}

/** The timeline of the runs of `workflow` in `schema` created at or after `since`. */
export async function runTimeline(pool: pg.Pool, schema: string, workflow: string, since: Date): Promise<RunTimeline> {
  const t = (name: string) => `"${schema}".${name}`;
  const { rows } = await pool.query<{ to_first: number; rest: number; total: number }>(
    `SELECT extract(epoch FROM f.first_step - r.created_at) * 1000 AS to_first,
            extract(epoch FROM r.completed_at - f.first_step) * 1000 AS rest,
            extract(epoch FROM r.completed_at - r.created_at) * 1000 AS total
       FROM ${t('workflow_runs')} AS r
       JOIN LATERAL (SELECT min(i.created_at) AS first_step FROM ${t('workflow_action_invocations')} AS i WHERE i.run_id = r.run_id) AS f ON true
      WHERE r.workflow_name = $1 AND r.created_at >= $2 AND r.completed_at IS NOT NULL AND f.first_step IS NOT NULL`,
    [workflow, since],
  );
  const p50 = (pick: (row: (typeof rows)[number]) => number) => summarize(rows.map((row) => Number(pick(row)))).p50;
  return { runs: rows.length, toFirstStepMs: p50((r) => r.to_first), restMs: p50((r) => r.rest), totalMs: p50((r) => r.total) };
}
