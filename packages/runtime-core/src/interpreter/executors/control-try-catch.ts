import type { TryCatchStep } from '@baton/event-schemas';
import { pushBlock } from '../stack-ops.js';
import type { ControlExecutor } from './step-outcome.js';

/** `control.tryCatch`: runs `try`; a catchable error escaping it runs `catch` (see unwind). */
export const tryCatchExecutor: ControlExecutor<TryCatchStep> = {
  start(tick, step, record) {
    if (step.try.length === 0) return { kind: 'completed' };
    tick.state.stack.push({ kind: 'control', stepId: step.id, record });
    pushBlock(tick, step.id, 'try');
    return { kind: 'entered' };
  },
  onBlockEnd() {
    return { kind: 'completed' };
  },
};
