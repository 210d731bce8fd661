// The interpreter's public surface (re-exported by the language barrel and `@baton/runtime-core/pure`).
export * from './protocol.js';
export { STATE_FORMAT, type InterpreterState } from './state.js';
export { advance } from './advance.js';
export { migrateState, stateFormatVersion, STATE_FORMAT_VERSION, STATE_MIGRATIONS, type StateMigrations, type StoredState } from './state-format.js';
export { checkAdvanceSequence, SEQUENCE_MISMATCH, type SequencedResult } from './advance-sequence.js';
export { pendingCommands, runStatus, runOutcome, openWaits, validateTaskResponse, executedStepCount, runVariables } from './queries.js';
export { InterpreterError, INTERPRETER_ERROR_CODE, type InterpreterErrorCode } from './interpreter-error.js';
export { STEP_ERROR_CODE, REJECTION_CODE } from './workflow-errors.js';
export { DEFAULT_INTERPRETER_LIMITS, resolveLimits, jsonByteLength } from './limits.js';
export { childRunIdFor, attemptId } from './ids.js';
export { retryDelayMs, shouldRetry, DEFAULT_BACKOFF_MULTIPLIER } from './retry.js';
export { varPathProblem, FORBIDDEN_PATH_SEGMENTS } from './var-path.js';
export { OPERATOR_RESUME_EVENT_ID } from './executors/event-wait.js';
export { findUnstorable, toStorable, toStorableText, unstorableText, type UnstorablePlace, type UnstorableReason } from './storable-value.js';
export { failUnstorableRun, unstorableRunError } from './fail-unstorable-run.js';
export { eventInboxRequests, inboxEventMatches, orderInboxEvents, EVENT_INBOX_BATCH, type EventInboxRequest } from './event-inbox.js';
export { childFailureError, CHILD_FAILURE_CODE, type ChildFailureCause } from './child-failure.js';
export {
  decideTaskCompletion,
  taskClosedError,
  TASK_ALREADY_CLOSED,
  type TaskCompletionVerdict,
  type TaskCloseReason,
  type WaitClosure,
} from './task-completion.js';
export { runCanceledError, canceledRunOutcome, terminalOutcome, type TerminalOutcome } from './terminal-outcome.js';
export {
  planNextGeneration,
  nextGenerationStart,
  generationLimitState,
  continueAsNewLimitError,
  CONTINUE_AS_NEW_LIMIT_EXCEEDED,
  MAX_BACK_TO_BACK_GENERATIONS,
  type NextGenerationPlan,
  type NextVersionRequest,
  type GenerationRun,
} from './next-generation.js';
export { isSecretRef, secretRefsOf, type SecretRef } from './secret-refs.js';
export { waitChanges, memoizedWaitQueries, type WaitChanges, type ClosedWait, type WaitQueries } from './wait-changes.js';
