import type { WorkflowError } from '@baton/event-schemas';
import { cloneJson } from './clone-json.js';
import type { InterpreterState } from './state.js';
import { toStorable } from './storable-value.js';
import { STEP_ERROR_CODE, workflowError } from './workflow-errors.js';

/** The error of a run whose store refused its state; `reason` is what the store said. */
export function unstorableRunError(reason: string, details?: { readonly [key: string]: string }): WorkflowError {
  return workflowError(
    'ValidationError',
    STEP_ERROR_CODE.UNSTORABLE_VALUE,
    toStorable(`the run's state could not be stored: ${reason}`),
    undefined,
    details ? toStorable({ ...details }) : undefined,
  );
}

/**
 * The state a driver commits instead of one its store refused deterministically (the same write
 * would fail on every attempt): a storable copy of `state`, FAILED with `error`, nothing left open.
 * The interpreter refuses unstorable values where they are produced; this is the driver's last line
 * for what it lets through (a definition literal holding a NUL, a store's size limit), so a run is
 * failed once instead of being re-claimed and re-run forever.
 */
export function failUnstorableRun(state: InterpreterState, error: WorkflowError, now: string): InterpreterState {
  const copy = toStorable(cloneJson(state));
  const failed: InterpreterState = { ...copy, status: 'failed', error: toStorable(error), stack: [], outstanding: [], updatedAt: now };
  delete failed.current;
  delete failed.failure;
  delete failed.output;
  return failed;
}
