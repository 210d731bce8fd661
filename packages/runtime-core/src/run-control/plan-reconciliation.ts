import { isTerminalRunStatus, type JsonValue, type RunStatus, type WorkflowError } from '@baton/event-schemas';
import type { RunProjectionPatch } from '../ports/run-store.js';
import { STEP_ERROR_CODE } from '../interpreter/workflow-errors.js';

/** Error codes a reconciler gives a run whose projection its engine contradicts. */
export const ReconcileErrorCode = {
  /** the engine closed the execution without the run deciding it (terminated or timed out by an operator or a policy) */
  WORKFLOW_CLOSED_EXTERNALLY: 'WORKFLOW_CLOSED_EXTERNALLY',
  /** the engine has no execution for a run that had made progress (deleted, retention passed, server state lost) */
  WORKFLOW_NOT_FOUND: 'WORKFLOW_NOT_FOUND',
} as const;

/** What the run's engine says about the run's execution. */
export type ExecutionObservation =
  /** the execution is open (running, or continued as new) */
  | { readonly kind: 'open' }
  /** the engine has no execution with the run's id */
  | { readonly kind: 'missing' }
  | { readonly kind: 'completed'; readonly output: JsonValue; readonly closedAt?: string }
  | { readonly kind: 'failed'; readonly error: WorkflowError; readonly closedAt?: string }
  | { readonly kind: 'canceled'; readonly reason?: string; readonly closedAt?: string }
  /** closed by the engine itself, not by the run: `engineStatus` as the engine names it (`TERMINATED`, `TIMED_OUT`) */
  | { readonly kind: 'closedExternally'; readonly engineStatus: string; readonly reason?: string; readonly closedAt?: string };

/** The projection a reconciler compares: its status and whether the run ever recorded progress. */
export interface ReconcileSubject {
  readonly status: RunStatus;
  /** the run has step records or a current step: an execution existed and did something */
  readonly hasProgress: boolean;
}

/** What to do with the run. */
export type ReconcileDecision =
  /** the projection may be right (the execution is open) or is already final: nothing to do */
  | { readonly kind: 'keep' }
  /** no execution exists and the run never made progress (its start's outcome was unknown): start it again with the same id */
  | { readonly kind: 'restart' }
  /** the projection missed how the execution ended: apply this patch (only while it is still RUNNING/WAITING) */
  | { readonly kind: 'finish'; readonly patch: RunProjectionPatch };

/**
 * Decides how a stale, unfinished projection follows what its engine says (the engine is the
 * authority). Pure: `now` is the caller's time (ISO). A finished projection is never changed.
 */
export function planReconciliation(run: ReconcileSubject, observed: ExecutionObservation, now: string): ReconcileDecision {
  if (isTerminalRunStatus(run.status) || observed.kind === 'open') return { kind: 'keep' };
  const finish = (status: RunStatus, fields: { output?: JsonValue; error?: WorkflowError | null }, closedAt = now): ReconcileDecision => ({
    kind: 'finish',
    patch: { status, ...fields, currentStepId: null, completedAt: closedAt, updatedAt: now },
  });
  switch (observed.kind) {
    case 'missing':
      if (!run.hasProgress) return { kind: 'restart' };
      return finish('FAILED', {
        error: {
          category: 'TransientError',
          code: ReconcileErrorCode.WORKFLOW_NOT_FOUND,
          message: 'the engine has no execution for this run any more (deleted, past retention, or its server lost its state)',
        },
      });
    case 'completed':
      return finish('SUCCEEDED', { output: observed.output, error: null }, observed.closedAt);
    case 'failed':
      return finish('FAILED', { error: observed.error }, observed.closedAt);
    case 'canceled':
      return finish('CANCELED', { error: { category: 'Canceled', code: STEP_ERROR_CODE.RUN_CANCELED, message: observed.reason ?? 'canceled' } }, observed.closedAt);
    case 'closedExternally': {
      const details: Record<string, JsonValue> = { engineStatus: observed.engineStatus };
      if (observed.reason !== undefined) details['reason'] = observed.reason;
      if (observed.closedAt !== undefined) details['closedAt'] = observed.closedAt;
      return finish(
        'FAILED',
        {
          error: {
            category: observed.engineStatus === 'TIMED_OUT' ? 'TimeoutError' : 'TransientError',
            code: ReconcileErrorCode.WORKFLOW_CLOSED_EXTERNALLY,
            message: `the engine closed the execution outside Baton (${observed.engineStatus}${observed.reason ? `: ${observed.reason}` : ''})`,
            details,
          },
        },
        observed.closedAt,
      );
    }
  }
}
