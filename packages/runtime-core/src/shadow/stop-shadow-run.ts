import type { WorkflowError } from '@baton/event-schemas';
import { failUnstorableRun } from '../interpreter/fail-unstorable-run.js';
import type { InterpreterState } from '../interpreter/state.js';

/** Codes of a shadow that stopped. */
export const SHADOW_STOP_CODE = {
  /** the shadow called an action (step, iteration, attempt) that the primary did not call */
  ACTION_NOT_CALLED_BY_PRIMARY: 'ACTION_NOT_CALLED_BY_PRIMARY',
} as const;

/** True for the error of a shadow that stopped (a driver then commits {@link stopShadowRun}). */
export function isShadowStop(error: WorkflowError): boolean {
  return error.code === SHADOW_STOP_CODE.ACTION_NOT_CALLED_BY_PRIMARY;
}

/**
 * The state of a shadow that stops (a call its primary never made): FAILED with `error`, nothing
 * left open, no handler or retry of the definition in between (the shadow's run is over, whatever
 * its definition would do with an action error). Pure; both drivers commit it like an advance.
 */
export function stopShadowRun(state: InterpreterState, error: WorkflowError, now: string): InterpreterState {
  return failUnstorableRun(state, error, now);
}
