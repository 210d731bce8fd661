// Error codes the interpreter raises as workflow errors (data, SPEC-dsl "Errors") and rejects inputs with.
import type { ErrorCategory, JsonValue, WorkflowError } from '@baton/event-schemas';

/** Codes of errors raised while running steps. */
export const STEP_ERROR_CODE = {
  /** An expression failed; the expression engine's code follows (`EXPRESSION_EVALUATION`, ...). */
  EXPRESSION_PREFIX: 'EXPRESSION_',
  /** An expression returned the wrong type (condition not boolean, items not an array, ...). */
  EXPRESSION_TYPE: 'EXPRESSION_TYPE',
  INPUT_SCHEMA_MISMATCH: 'INPUT_SCHEMA_MISMATCH',
  INPUT_TOO_LARGE: 'INPUT_TOO_LARGE',
  OUTPUT_TOO_LARGE: 'OUTPUT_TOO_LARGE',
  /** A value holds text no store can keep (a NUL character, an unpaired surrogate): ExpressionError, ActionError or ValidationError by its source. */
  UNSTORABLE_VALUE: 'UNSTORABLE_VALUE',
  FOREACH_TOO_MANY_ITEMS: 'FOREACH_TOO_MANY_ITEMS',
  STEP_LIMIT_EXCEEDED: 'STEP_LIMIT_EXCEEDED',
  WAIT_TIMEOUT: 'WAIT_TIMEOUT',
  TASK_TIMEOUT: 'TASK_TIMEOUT',
  CHILD_WORKFLOW_FAILED: 'CHILD_WORKFLOW_FAILED',
  RUN_CANCELED: 'RUN_CANCELED',
} as const;

/** Codes of `AdvanceResult.rejection` (the input did not apply). */
export const REJECTION_CODE = {
  /** The id the input refers to is not outstanding (late, duplicate or unknown). */
  STALE_INPUT: 'STALE_INPUT',
  RUN_ALREADY_STARTED: 'RUN_ALREADY_STARTED',
  RUN_NOT_STARTED: 'RUN_NOT_STARTED',
  RUN_ALREADY_FINISHED: 'RUN_ALREADY_FINISHED',
  RUN_NOT_FAILED: 'RUN_NOT_FAILED',
  /** The run failed before any step (e.g. its input), there is no step to retry. */
  NOTHING_TO_RETRY: 'NOTHING_TO_RETRY',
  /** Resume: the run has no wait an operator can resolve. */
  NOTHING_TO_RESUME: 'NOTHING_TO_RESUME',
  EVENT_MISMATCH: 'EVENT_MISMATCH',
  EVENT_FILTER_REJECTED: 'EVENT_FILTER_REJECTED',
  /** The event was received before the wait's `since` (run start or wait start). */
  EVENT_BEFORE_SINCE: 'EVENT_BEFORE_SINCE',
  /** An entity wait was offered an event that is not of its entity's queue (it has no sequence number). */
  EVENT_NOT_OF_ENTITY: 'EVENT_NOT_OF_ENTITY',
  /** A task response does not satisfy the form schema (HTTP 400 VALIDATION_ERROR). */
  VALIDATION_ERROR: 'VALIDATION_ERROR',
} as const;

/** Builds a workflow error, leaving out absent optional fields (plain JSON, no `undefined`). */
export function workflowError(
  category: ErrorCategory,
  code: string,
  message: string,
  stepId?: string,
  details?: JsonValue,
): WorkflowError {
  const error: WorkflowError = { category, code, message };
  if (stepId !== undefined) error.stepId = stepId;
  if (details !== undefined) error.details = details;
  return error;
}
