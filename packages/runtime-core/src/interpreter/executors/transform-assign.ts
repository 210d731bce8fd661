import type { TransformAssignStep } from '@baton/event-schemas';
import { resolveTemplate } from '../expressions.js';
import { assignVar } from '../var-path.js';
import type { LeafExecutor } from './step-outcome.js';

/** `transform.assign`: evaluates and assigns in key order; each value sees the assignments before it. */
export const transformAssignExecutor: LeafExecutor<TransformAssignStep> = {
  *start(tick, step) {
    for (const [path, template] of Object.entries(step.assign)) {
      const value = yield* resolveTemplate(tick, template, `assign["${path}"]`);
      assignVar(tick.state.vars, path, value);
    }
    return { kind: 'completed' };
  },
};
