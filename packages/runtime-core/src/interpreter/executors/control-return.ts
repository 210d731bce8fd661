import type { ReturnStep } from '@baton/event-schemas';
import { cloneJson } from '../clone-json.js';
import { resolveTemplate } from '../expressions.js';
import { checkOutputSize } from './output-limits.js';
import type { LeafExecutor } from './step-outcome.js';

/** `control.return`: the run SUCCEEDED with `output` (default: vars), from any depth. */
export const returnExecutor: LeafExecutor<ReturnStep> = {
  *start(tick, step) {
    const output = step.output === undefined ? cloneJson(tick.state.vars) : yield* resolveTemplate(tick, step.output, 'output');
    checkOutputSize(tick, output, 'run output');
    tick.state.status = 'succeeded';
    tick.state.output = output;
    tick.emit({ type: 'Complete', output });
    return { kind: 'finished' };
  },
};
