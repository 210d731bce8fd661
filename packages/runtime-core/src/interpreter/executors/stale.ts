import type { InterpreterInput } from '../protocol.js';
import { REJECTION_CODE, workflowError } from '../workflow-errors.js';
import type { StepOutcome } from './step-outcome.js';

/** The input refers to nothing outstanding (late timer, duplicate result, unknown id). */
export function staleInput(input: InterpreterInput, stepId?: string): StepOutcome {
  return {
    kind: 'rejected',
    rejection: workflowError('ValidationError', REJECTION_CODE.STALE_INPUT, `${input.type} does not match anything the run waits for`, stepId),
  };
}

/** Resume: the waiting step is not something an operator can resolve. */
export function nothingToResume(stepId: string): StepOutcome {
  return {
    kind: 'rejected',
    rejection: workflowError('ValidationError', REJECTION_CODE.NOTHING_TO_RESUME, `step ${stepId} has no wait an operator can resolve`, stepId),
  };
}
