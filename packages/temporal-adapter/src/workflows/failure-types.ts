// The `type` of every ApplicationFailure Baton sends across the activity and child-workflow
// boundary. These strings are API: the workflow, the activities and operators reading a
// history match on them. Sandbox-safe (imported by workflow code).
import { ActivityFailure, ApplicationFailure, CancelledFailure, ChildWorkflowFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import type { ErrorCategory, WorkflowError } from '@baton/event-schemas';
import { childFailureError } from '@baton/runtime-core/pure';

/** Failure types: one per WorkflowError category, so `retryOn` and tryCatch see the real category. */
export const FAILURE_TYPE = {
  ValidationError: 'ValidationError',
  ExpressionError: 'ExpressionError',
  ActionError: 'ActionError',
  TransientError: 'TransientError',
  TimeoutError: 'TimeoutError',
  ChildWorkflowError: 'ChildWorkflowError',
  Canceled: 'Canceled',
} as const satisfies Record<ErrorCategory, ErrorCategory>;
export type FailureType = (typeof FAILURE_TYPE)[keyof typeof FAILURE_TYPE];

const CATEGORIES: ReadonlySet<string> = new Set(Object.values(FAILURE_TYPE));

/** What an action activity reports besides the error itself (second detail of its failure). */
export interface ActionFailureNote {
  /** The projection folded into the call could not be written; the workflow writes it again. */
  readonly projectionFailed?: boolean;
}

/** Wraps a WorkflowError into the non-retryable ApplicationFailure that carries it (type = category, details = [error, note?]). */
export function toApplicationFailure(error: WorkflowError, note?: ActionFailureNote): ApplicationFailure {
  return ApplicationFailure.create({
    type: FAILURE_TYPE[error.category],
    message: error.message,
    nonRetryable: true,
    details: note ? [error, note] : [error],
  });
}

/** The note an action activity attached to its failure, if any. */
export function actionFailureNoteOf(failure: unknown): ActionFailureNote {
  const cause = failure instanceof ActivityFailure ? failure.cause : failure;
  const note = cause instanceof ApplicationFailure ? cause.details?.[1] : undefined;
  return typeof note === 'object' && note !== null ? (note as ActionFailureNote) : {};
}

function isWorkflowError(value: unknown): value is WorkflowError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<WorkflowError>;
  return typeof candidate.category === 'string' && CATEGORIES.has(candidate.category) && typeof candidate.code === 'string' && typeof candidate.message === 'string';
}

/** The WorkflowError an ApplicationFailure carries, or one built from its type and message. */
function fromApplicationFailure(failure: ApplicationFailure, fallback: WorkflowError): WorkflowError {
  const carried = failure.details?.[0];
  if (isWorkflowError(carried)) return carried;
  if (failure.type && CATEGORIES.has(failure.type)) {
    return { category: failure.type as ErrorCategory, code: fallback.code, message: failure.message };
  }
  return { ...fallback, message: failure.message || fallback.message };
}

/**
 * Turns what an activity failed with into the WorkflowError the interpreter expects. The
 * category comes from the failure's type, never from its message: an action whose message
 * says "cancelled" is an ActionError, not a cancellation.
 */
export function workflowErrorOf(failure: unknown, stepId?: string): WorkflowError {
  const cause = failure instanceof ActivityFailure ? failure.cause : failure;
  const at = stepId === undefined ? {} : { stepId };
  if (cause instanceof ApplicationFailure) {
    return { ...fromApplicationFailure(cause, { category: 'ActionError', code: 'ACTION_FAILED', message: 'action failed' }), ...at };
  }
  if (cause instanceof TimeoutFailure) {
    return { category: 'TimeoutError', code: 'ACTION_TIMEOUT', message: 'the action did not finish within its timeout', ...at };
  }
  if (cause instanceof CancelledFailure) {
    return { category: 'Canceled', code: 'CANCELED', message: cause.message || 'canceled', ...at };
  }
  // Anything else (the worker running the activity died) is a transient problem.
  const message = cause instanceof Error ? cause.message : String(cause);
  return { category: 'TransientError', code: 'ACTIVITY_FAILED', message, ...at };
}

/**
 * The error a child run ended with, as the parent's interpreter takes it (it wraps it into a
 * ChildWorkflowError itself): the child's own WorkflowError when it failed as a Baton run.
 */
export function childErrorOf(failure: unknown): WorkflowError {
  if (failure instanceof ChildWorkflowFailure) {
    const cause = failure.cause;
    if (cause instanceof ApplicationFailure) {
      return fromApplicationFailure(cause, { category: 'ChildWorkflowError', code: 'CHILD_FAILED', message: 'child run failed' });
    }
    // One code and category per cause on every engine (runtime-core decides).
    if (cause instanceof CancelledFailure) return childFailureError({ kind: 'canceled', ...(cause.message ? { reason: cause.message } : {}) });
    if (cause instanceof TimeoutFailure) return childFailureError({ kind: 'timedOut', ...(cause.message ? { reason: cause.message } : {}) });
    if (cause instanceof TerminatedFailure) return childFailureError({ kind: 'terminated', ...(cause.message ? { reason: cause.message } : {}) });
    return { category: 'ChildWorkflowError', code: 'CHILD_FAILED', message: cause?.message || failure.message };
  }
  // The child could not be started (its definition did not resolve, ...).
  return workflowErrorOf(failure);
}
