// Terminal statuses and their errors, decided here for every driver: a driver never writes a
// status or an error of its own. A finished run's outcome comes from the interpreter's state; a
// run cancelled before (or between) the interpreter's states gets the same error a `Cancel` gives.
import type { JsonValue, WorkflowError } from '@baton/event-schemas';
import { InterpreterError, INTERPRETER_ERROR_CODE } from './interpreter-error.js';
import { runOutcome } from './queries.js';
import type { InterpreterState } from './state.js';
import { STEP_ERROR_CODE, workflowError } from './workflow-errors.js';

/** How a run ended: its output when it succeeded, its error when it failed or was cancelled. */
export type TerminalOutcome =
  | { readonly status: 'SUCCEEDED'; readonly output: JsonValue }
  | { readonly status: 'FAILED' | 'CANCELED'; readonly error: WorkflowError };

/** The run error of a cancellation (`Canceled` `RUN_CANCELED`, the reason as message), on every engine and path. */
export function runCanceledError(reason: string): WorkflowError {
  return workflowError('Canceled', STEP_ERROR_CODE.RUN_CANCELED, reason);
}

/** The outcome of a run cancelled where the interpreter holds no running state (not started yet, or between two generations). */
export function canceledRunOutcome(reason: string): Extract<TerminalOutcome, { status: 'FAILED' | 'CANCELED' }> {
  return { status: 'CANCELED', error: runCanceledError(reason) };
}

/**
 * The outcome of a finished state. Throws `InterpreterError` `INVALID_STATE` for a state that has not
 * finished, or a failed or cancelled one without its error (a driver bug, never a workflow failure).
 */
export function terminalOutcome(state: InterpreterState): TerminalOutcome {
  const outcome = runOutcome(state);
  if (outcome.status === 'SUCCEEDED') return { status: 'SUCCEEDED', output: outcome.output ?? null };
  if ((outcome.status === 'FAILED' || outcome.status === 'CANCELED') && outcome.error) return { status: outcome.status, error: outcome.error };
  throw new InterpreterError(INTERPRETER_ERROR_CODE.INVALID_STATE, `the run has not finished with an outcome (status ${outcome.status})`);
}
