// What a child run's failure means to its parent, decided once for every driver: each cause has one
// category and one code on every engine (the interpreter wraps it as the `cause` of the parent
// step's CHILD_WORKFLOW_FAILED).
import type { WorkflowError } from '@baton/event-schemas';

/** Codes of child failures that are not the child's own error. */
export const CHILD_FAILURE_CODE = {
  /** The child run was cancelled (not by its parent). */
  CHILD_CANCELED: 'CHILD_CANCELED',
  /** No published version of the child workflow satisfies the step (unknown workflow, no version in range). */
  CHILD_UNRESOLVABLE: 'CHILD_UNRESOLVABLE',
  /** The child run was terminated outside Baton (Temporal). */
  CHILD_TERMINATED: 'CHILD_TERMINATED',
  /** The child run exceeded a Temporal run timeout. */
  CHILD_TIMED_OUT: 'CHILD_TIMED_OUT',
} as const;

/** Why a child run did not complete, as a driver observed it. */
export type ChildFailureCause =
  | { readonly kind: 'failed'; readonly error: WorkflowError }
  | { readonly kind: 'canceled'; readonly reason?: string }
  | { readonly kind: 'unresolvable'; readonly workflow: string; readonly reason: string; readonly reasonCode?: string }
  | { readonly kind: 'terminated'; readonly reason?: string }
  | { readonly kind: 'timedOut'; readonly reason?: string };

/** The error a driver feeds as `ChildFailed.error` for a cause (the same on every engine). */
export function childFailureError(cause: ChildFailureCause): WorkflowError {
  switch (cause.kind) {
    case 'failed':
      return cause.error;
    case 'canceled':
      return { category: 'ChildWorkflowError', code: CHILD_FAILURE_CODE.CHILD_CANCELED, message: cause.reason ? `the child run was canceled: ${cause.reason}` : 'the child run was canceled' };
    case 'unresolvable':
      return {
        category: 'ValidationError',
        code: CHILD_FAILURE_CODE.CHILD_UNRESOLVABLE,
        message: `child workflow ${cause.workflow} cannot be started: ${cause.reason}`,
        details: { workflow: cause.workflow, ...(cause.reasonCode !== undefined ? { reasonCode: cause.reasonCode } : {}) },
      };
    case 'terminated':
      return { category: 'ChildWorkflowError', code: CHILD_FAILURE_CODE.CHILD_TERMINATED, message: cause.reason || 'the child run was terminated' };
    case 'timedOut':
      return { category: 'TimeoutError', code: CHILD_FAILURE_CODE.CHILD_TIMED_OUT, message: cause.reason || 'the child run timed out' };
  }
}
