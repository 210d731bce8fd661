import { applyRollback, listRollbackCandidates, readRollbackWindow, type createDatabase } from '@baton/db-legacy-adapter';
import type { EngineKind } from '@baton/event-schemas';
import { evaluateRollback, rolledBackPolicy, ROLLBACK_ACTOR, temporalPercentOf, watchesRollback, type RollbackTrigger, type RollbackWindow } from '@baton/runtime-core';

/** The worker's typed database handle (`createDatabase(pool, schema)`). */
export type BatonDatabase = ReturnType<typeof createDatabase>;

/** Options of {@link rollbackPass}. */
export interface RollbackPassOptions {
  /** the most recent finished runs per engine judged (at least the policy's `minRuns`) */
  readonly windowRuns: number;
  /** the engine of workflows without an engine policy (`BATON_DEFAULT_ENGINE`) */
  readonly defaultEngine: EngineKind;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** A workflow whose Temporal share one pass set to 0. */
export interface RolledBack {
  readonly tenant: string;
  readonly workflow: string;
  readonly trigger: RollbackTrigger;
  readonly reason: string;
  /** Temporal's share of new runs before the rollback */
  readonly fromTemporalPercent: number;
  readonly window: RollbackWindow;
}

/** What one pass did. */
export interface RollbackPassReport {
  /** workflows judged (a rollback rule and a Temporal share > 0) */
  readonly judged: number;
  readonly rolledBack: readonly RolledBack[];
  /** breaches not applied because the engine policy changed between the read and the write */
  readonly superseded: readonly { readonly tenant: string; readonly workflow: string }[];
  readonly errors: readonly { readonly tenant: string; readonly workflow: string; readonly err: unknown }[];
}

/**
 * One evaluation of every workflow whose policy has `rollback` and gives Temporal a share of new
 * runs: reads its window, judges it with runtime-core's `evaluateRollback`, and on a breach writes
 * `rolledBackPolicy` with a policy-history entry (actor `baton-rollback`, the measured reason) as a
 * compare-and-set on the engine policy judged. A failure on one workflow does not stop the others.
 */
export async function rollbackPass(db: BatonDatabase, options: RollbackPassOptions): Promise<RollbackPassReport> {
  const clock = options.clock ?? (() => new Date());
  const rolledBack: RolledBack[] = [];
  const superseded: { tenant: string; workflow: string }[] = [];
  const errors: { tenant: string; workflow: string; err: unknown }[] = [];
  let judged = 0;
  for (const candidate of await listRollbackCandidates(db)) {
    const { tenant, workflow, policy } = candidate;
    if (!watchesRollback(policy, options.defaultEngine)) continue;
    judged += 1;
    try {
      const window = await readRollbackWindow(db, tenant, workflow, {
        windowRuns: Math.max(options.windowRuns, policy.rollback.minRuns),
        temporalSince: candidate.engineChangedAt,
      });
      const decision = evaluateRollback(policy.rollback, window);
      if (!decision.breach) continue;
      const reason = `automatic rollback: ${decision.reason}`;
      const applied = await applyRollback(db, { tenant, workflow, judgedEngine: policy.engine, next: rolledBackPolicy, at: clock().toISOString(), actor: ROLLBACK_ACTOR, reason });
      if (!applied) superseded.push({ tenant, workflow });
      else rolledBack.push({ tenant, workflow, trigger: decision.trigger, reason, fromTemporalPercent: temporalPercentOf(policy.engine, options.defaultEngine), window });
    } catch (err) {
      errors.push({ tenant, workflow, err });
    }
  }
  return { judged, rolledBack, superseded, errors };
}
