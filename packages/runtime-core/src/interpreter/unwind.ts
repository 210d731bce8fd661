// The error rules of SPEC-dsl, after retry and onError (handled by action.call): the nearest
// enclosing handler catches — a tryCatch in its try branch, or a forEach with
// onItemError "continue" (skip to the next item) — and every container passed on the way is
// recorded FAILED. A Canceled error is never caught.
import type { WorkflowError } from '@baton/event-schemas';
import { stepById } from './definition-index.js';
import { nextItem } from './executors/control-for-each.js';
import { completeControlFrame, pushBlock } from './stack-ops.js';
import { finishRecord } from './step-records.js';
import type { ControlFrame, Frame } from './state.js';
import type { Tick } from './tick.js';
import { assignVar } from './var-path.js';

type Handler = 'catch' | 'nextItem';

function handlerOf(tick: Tick, frame: Frame, error: WorkflowError): Handler | undefined {
  if (frame.kind !== 'control' || error.category === 'Canceled') return undefined;
  const step = stepById(tick.index, frame.stepId);
  if (step.type === 'control.tryCatch' && frame.caught === undefined) return 'catch';
  if (step.type === 'control.forEach' && step.onItemError === 'continue' && frame.loop) return 'nextItem';
  return undefined;
}

/** True when some enclosing container will handle this error. */
export function isHandled(tick: Tick, error: WorkflowError): boolean {
  return tick.state.stack.some((frame) => handlerOf(tick, frame, error) !== undefined);
}

/** The error as `error` in a catch branch: `{category, code, message, stepId, details?}`. */
function caughtError(error: WorkflowError): WorkflowError {
  return JSON.parse(JSON.stringify(error)) as WorkflowError;
}

/**
 * Unwinds the stack from the raising step to the nearest handler; returns false when
 * none exists (the stack is then empty and the run must fail).
 */
export function unwind(tick: Tick, error: WorkflowError): boolean {
  const { stack } = tick.state;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.kind === 'block') {
      stack.pop();
      continue;
    }
    const handler = handlerOf(tick, frame, error);
    if (handler === 'catch') {
      const step = stepById(tick.index, frame.stepId);
      frame.caught = caughtError(error);
      if (step.type === 'control.tryCatch' && step.captureErrorAs !== undefined) {
        assignVar(tick.state.vars, step.captureErrorAs, caughtError(error));
      }
      pushBlock(tick, frame.stepId, 'catch');
      return true;
    }
    if (handler === 'nextItem') {
      if (nextItem(tick, frame).kind === 'completed') completeControlFrame(tick, frame);
      return true;
    }
    stack.pop();
    finishRecord(tick, (frame as ControlFrame).record, 'FAILED', { error });
  }
  return false;
}
