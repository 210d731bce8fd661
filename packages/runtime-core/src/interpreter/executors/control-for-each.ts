import type { ForEachStep } from '@baton/event-schemas';
import { resolveTemplate, typeFailure } from '../expressions.js';
import { pushBlock } from '../stack-ops.js';
import { StepFailure } from '../step-failure.js';
import type { ControlFrame } from '../state.js';
import type { Tick } from '../tick.js';
import { STEP_ERROR_CODE, workflowError } from '../workflow-errors.js';
import type { ControlExecutor, StepOutcome } from './step-outcome.js';

/** Moves a forEach frame to its next item: 'entered' (body pushed) or 'completed' (no items left). */
export function nextItem(tick: Tick, frame: ControlFrame): StepOutcome {
  const loop = frame.loop!;
  loop.index++;
  if (loop.index >= loop.items.length) return { kind: 'completed' };
  pushBlock(tick, frame.stepId, 'body');
  return { kind: 'entered' };
}

/** `control.forEach`: sequential loop over an array (at most `limits.maxForEachItems`). */
export const forEachExecutor: ControlExecutor<ForEachStep> = {
  *start(tick, step, record) {
    const items = yield* resolveTemplate(tick, step.items, 'items');
    if (!Array.isArray(items)) throw typeFailure('items', 'an array', items);
    const max = tick.state.limits.maxForEachItems;
    if (items.length > max) {
      throw new StepFailure(
        workflowError('ValidationError', STEP_ERROR_CODE.FOREACH_TOO_MANY_ITEMS, `items has ${items.length} entries, over the limit of ${max}`, undefined, {
          items: items.length,
          max,
        }),
      );
    }
    if (items.length === 0 || step.body.length === 0) return { kind: 'completed', output: { items: items.length } };
    record.output = { items: items.length };
    tick.state.stack.push({ kind: 'control', stepId: step.id, record, loop: { items, index: 0, itemVar: step.itemVar ?? 'item' } });
    pushBlock(tick, step.id, 'body');
    return { kind: 'entered' };
  },
  onBlockEnd(tick, _step, frame) {
    return nextItem(tick, frame);
  },
};
