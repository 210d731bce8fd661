import type { WorkflowClient } from '@temporalio/client';
import type { RunStatus } from '@baton/event-schemas';
import {
  planReconciliation,
  startRequestForRun,
  type DefinitionStore,
  type RunRecord,
  type RunStore,
  type StaleRunScan,
  type WorkflowEngine,
} from '@baton/runtime-core';
import { observeExecution } from './observe-execution.js';

/** Options of {@link createTemporalReconciler}. */
export interface TemporalReconcilerOptions {
  /** the workflow client of a `Client` on the process's shared connection */
  readonly client: Pick<WorkflowClient, 'getHandle'>;
  /** the Temporal engine: re-drives a run whose start outcome was unknown (idempotent by run id) */
  readonly engine: Pick<WorkflowEngine<'temporal'>, 'start'>;
  readonly runs: Pick<RunStore, 'update' | 'listSteps'>;
  readonly scan: StaleRunScan;
  readonly definitions: Pick<DefinitionStore, 'get'>;
  /** a projection unchanged for this long is compared with Temporal. @default 300_000 */
  readonly staleAfterMs?: number;
  /** runs compared per pass (bounded work per tick). @default 100 */
  readonly batchSize?: number;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** What one pass found and did. */
export interface ReconcilePassReport {
  /** run ids of the stale projections compared with Temporal, in order */
  readonly checked: readonly string[];
  /** runs whose projection now says how Temporal ended them */
  readonly finished: readonly { readonly tenant: string; readonly runId: string; readonly status: RunStatus; readonly code?: string }[];
  /** runs started again (no workflow, no progress: the start's outcome had been unknown) */
  readonly restarted: readonly { readonly tenant: string; readonly runId: string }[];
  /** runs that could not be compared this pass (Temporal or the store did not answer); tried again next pass */
  readonly errors: readonly { readonly tenant: string; readonly runId: string; readonly message: string }[];
}

/** The reconciler: call `reconcileOnce()` periodically (the worker does, under an advisory lock). */
export interface TemporalReconciler {
  /**
   * Compares up to `batchSize` stale RUNNING/WAITING Temporal projections with Temporal, continuing
   * after the last run id of the previous pass (wrapping around), so every stale run is visited in
   * turn however many stay open legitimately (long waits).
   */
  reconcileOnce(): Promise<ReconcilePassReport>;
}

const UNFINISHED: readonly RunStatus[] = ['RUNNING', 'WAITING'];

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the reconciler of Temporal run projections. Temporal is the authority: a projection
 * that missed how its workflow ended gets the real outcome; a workflow terminated or timed out
 * outside Baton makes the run FAILED `WORKFLOW_CLOSED_EXTERNALLY`; a missing workflow makes it
 * FAILED `WORKFLOW_NOT_FOUND` unless the run never made progress, in which case its start (whose
 * outcome was unknown) is handed to Temporal again with the same workflow id. Every write is a
 * compare-and-set on RUNNING/WAITING and a start is idempotent by run id, so concurrent
 * reconcilers (or the workflow's own late write) never change a run twice.
 */
export function createTemporalReconciler(options: TemporalReconcilerOptions): TemporalReconciler {
  const staleAfterMs = options.staleAfterMs ?? 300_000;
  const batchSize = options.batchSize ?? 100;
  const clock = options.clock ?? (() => new Date());
  let afterRunId: string | undefined;

  async function reconcileRun(run: RunRecord, report: { finished: ReconcilePassReport['finished'][number][]; restarted: ReconcilePassReport['restarted'][number][] }): Promise<void> {
    const observed = await observeExecution(options.client, run.runId);
    const hasProgress = run.currentStepId !== undefined || run.status === 'WAITING' || (await options.runs.listSteps(run.tenant, run.runId)).length > 0;
    const decision = planReconciliation({ status: run.status, hasProgress }, observed, clock().toISOString());
    if (decision.kind === 'finish') {
      const updated = await options.runs.update(run.tenant, run.runId, decision.patch, { statusIn: UNFINISHED });
      if (updated) report.finished.push({ tenant: run.tenant, runId: run.runId, status: updated.status, ...(updated.error ? { code: updated.error.code } : {}) });
    } else if (decision.kind === 'restart') {
      const definition = await options.definitions.get(run.tenant, run.workflow, run.version);
      if (!definition) throw new Error(`version ${run.version} of '${run.workflow}' is not published`);
      await options.engine.start(startRequestForRun(run, definition));
      report.restarted.push({ tenant: run.tenant, runId: run.runId });
    }
  }

  return {
    async reconcileOnce() {
      const updatedBefore = new Date(clock().getTime() - staleAfterMs).toISOString();
      let page = await options.scan.listStale({ engine: 'temporal', updatedBefore, ...(afterRunId === undefined ? {} : { afterRunId }), limit: batchSize });
      if (page.length === 0 && afterRunId !== undefined) page = await options.scan.listStale({ engine: 'temporal', updatedBefore, limit: batchSize });
      // A short page reached the end: the next pass starts from the beginning again.
      afterRunId = page.length < batchSize ? undefined : page.at(-1)?.runId;
      const report = { checked: page.map((r) => r.runId), finished: [] as ReconcilePassReport['finished'][number][], restarted: [] as ReconcilePassReport['restarted'][number][], errors: [] as ReconcilePassReport['errors'][number][] };
      for (const run of page) {
        try {
          await reconcileRun(run, report);
        } catch (error) {
          report.errors.push({ tenant: run.tenant, runId: run.runId, message: messageOf(error) });
        }
      }
      return report;
    },
  };
}
