import type { IfStep } from '@baton/event-schemas';
import { resolveTemplate, typeFailure } from '../expressions.js';
import { pushBlock } from '../stack-ops.js';
import type { ControlExecutor } from './step-outcome.js';

/** `control.if`: the condition must be a boolean; runs `then` or `else` (absent `else` = nothing). */
export const ifExecutor: ControlExecutor<IfStep> = {
  *start(tick, step, record) {
    const condition = yield* resolveTemplate(tick, step.condition, 'condition');
    if (typeof condition !== 'boolean') throw typeFailure('condition', 'a boolean', condition);
    const branch = condition ? 'then' : 'else';
    const steps = condition ? step.then : step.else;
    if (!steps || steps.length === 0) return { kind: 'completed', output: { branch } };
    record.output = { branch };
    tick.state.stack.push({ kind: 'control', stepId: step.id, record });
    pushBlock(tick, step.id, branch);
    return { kind: 'entered' };
  },
  onBlockEnd() {
    return { kind: 'completed' };
  },
};
