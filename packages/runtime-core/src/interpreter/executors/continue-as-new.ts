import type { ContinueAsNewStep } from '@baton/event-schemas';
import { cloneJson } from '../clone-json.js';
import { resolveTemplate } from '../expressions.js';
import { jsonByteLength } from '../limits.js';
import { StepFailure } from '../step-failure.js';
import { STEP_ERROR_CODE, workflowError } from '../workflow-errors.js';
import type { LeafExecutor } from './step-outcome.js';

/** `control.continueAsNew`: ends this generation; the driver restarts with `Start{input, generation+1}`. */
export const continueAsNewExecutor: LeafExecutor<ContinueAsNewStep> = {
  *start(tick, step) {
    const { state } = tick;
    const input = step.input === undefined ? cloneJson(state.input) : yield* resolveTemplate(tick, step.input, 'input');
    const bytes = jsonByteLength(input);
    if (bytes > state.limits.maxInputBytes) {
      throw new StepFailure(
        workflowError('ValidationError', STEP_ERROR_CODE.INPUT_TOO_LARGE, `next input is ${bytes} bytes, over the limit of ${state.limits.maxInputBytes}`),
      );
    }
    state.status = 'continued';
    state.output = input;
    tick.emit({
      type: 'ContinueAsNew',
      input,
      generation: state.generation + 1,
      ...(step.pinVersion ? { pinVersion: state.context.version } : {}),
    });
    return { kind: 'finished' };
  },
};
