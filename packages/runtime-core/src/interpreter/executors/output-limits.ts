import type { JsonValue } from '@baton/event-schemas';
import { jsonByteLength } from '../limits.js';
import { StepFailure } from '../step-failure.js';
import type { Tick } from '../tick.js';
import { STEP_ERROR_CODE, workflowError } from '../workflow-errors.js';

/** Raises OUTPUT_TOO_LARGE (ValidationError) when a step output exceeds `limits.maxOutputBytes`. */
export function checkOutputSize(tick: Tick, value: JsonValue, what: string): void {
  const max = tick.state.limits.maxOutputBytes;
  const bytes = jsonByteLength(value);
  if (bytes > max) {
    throw new StepFailure(
      workflowError('ValidationError', STEP_ERROR_CODE.OUTPUT_TOO_LARGE, `${what} is ${bytes} bytes, over the limit of ${max}`, undefined, {
        bytes,
        max,
      }),
    );
  }
}
