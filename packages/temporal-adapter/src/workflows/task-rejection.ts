// Why the `baton.completeTask` validator refused a completion; the failure `type` tells the
// client which API error to raise. Sandbox-safe.
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowError } from '@baton/event-schemas';

/** Failure types of a refused task completion. */
export const TASK_REJECTION_CODE = {
  /** The run has no open task with this id. */
  TASK_NOT_FOUND: 'TASK_NOT_FOUND',
  /** The run closed the task (its timeout, the run's cancel) before it took the completion (details carry the WorkflowError with `closeReason`). */
  TASK_ALREADY_CLOSED: 'TASK_ALREADY_CLOSED',
  /** The response does not satisfy the task's form schema (details carry the WorkflowError with issues). */
  VALIDATION_ERROR: 'VALIDATION_ERROR',
} as const;
export type TaskRejectionCode = (typeof TASK_REJECTION_CODE)[keyof typeof TASK_REJECTION_CODE];

/** The failure a validator throws to refuse a completion. */
export function taskRejectionFailure(code: TaskRejectionCode, error: WorkflowError): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message: error.message, nonRetryable: true, details: [error] });
}
