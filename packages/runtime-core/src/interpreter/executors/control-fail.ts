import type { FailStep } from '@baton/event-schemas';
import { resolveString } from '../expressions.js';
import { StepFailure } from '../step-failure.js';
import { workflowError } from '../workflow-errors.js';
import type { LeafExecutor } from './step-outcome.js';

/** `control.fail`: raises ActionError with the step's code (catchable; uncaught, the run FAILS). */
export const failExecutor: LeafExecutor<FailStep> = {
  *start(tick, step) {
    const message = yield* resolveString(tick, step.message, 'message');
    throw new StepFailure(workflowError('ActionError', step.code, message, step.id, { raisedBy: 'control.fail' }));
  },
};
