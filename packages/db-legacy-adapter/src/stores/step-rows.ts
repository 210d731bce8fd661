import type { Kysely, Transaction } from 'kysely';
import type { StepRecord } from '@baton/event-schemas';
import type { Database } from '../database/database-types.js';
import { jsonOrNull } from '../database/timestamps.js';

/** Inserts or replaces step rows by (run, step, iteration), recording the fencing token of the writer. */
export async function upsertStepRows(
  db: Kysely<Database> | Transaction<Database>,
  tenant: string,
  runId: string,
  steps: readonly StepRecord[],
  fencingToken: string | number,
): Promise<void> {
  if (steps.length === 0) return;
  // One row per key: the last record of a key wins (ON CONFLICT cannot touch a row twice).
  const byKey = new Map<string, StepRecord>();
  for (const s of steps) byKey.set(`${s.stepId}@${s.iteration}`, s);
  const rows = [...byKey.values()].map((s) => ({
    tenant_id: tenant,
    run_id: runId,
    step_id: s.stepId,
    iteration: s.iteration,
    generation: s.generation,
    seq: s.seq,
    path: s.path,
    step_type: s.stepType,
    status: s.status,
    attempt: s.attempt,
    started_at: s.startedAt,
    completed_at: s.completedAt ?? null,
    output: jsonOrNull(s.output),
    error: jsonOrNull(s.error),
    fencing_token: fencingToken,
  }));
  await db
    .insertInto('workflow_run_steps')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['run_id', 'step_id', 'iteration']).doUpdateSet((eb) => ({
        generation: eb.ref('excluded.generation'),
        seq: eb.ref('excluded.seq'),
        path: eb.ref('excluded.path'),
        step_type: eb.ref('excluded.step_type'),
        status: eb.ref('excluded.status'),
        attempt: eb.ref('excluded.attempt'),
        started_at: eb.ref('excluded.started_at'),
        completed_at: eb.ref('excluded.completed_at'),
        output: eb.ref('excluded.output'),
        error: eb.ref('excluded.error'),
        fencing_token: eb.ref('excluded.fencing_token'),
        updated_at: new Date(),
      })),
    )
    .execute();
}
