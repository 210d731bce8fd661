import type { CallWorkflowStep } from '@baton/event-schemas';
import { resolveTemplate } from '../expressions.js';
import { attemptId, childRunIdFor } from '../ids.js';
import { markRecord } from '../step-records.js';
import type { CurrentStep } from '../state.js';
import { STEP_ERROR_CODE, workflowError } from '../workflow-errors.js';
import { checkStorable } from '../storable-value.js';
import { checkOutputSize } from './output-limits.js';
import { saveOutput } from './save-as.js';
import { nothingToResume, staleInput } from './stale.js';
import type { LeafExecutor } from './step-outcome.js';

type ChildWait = Extract<CurrentStep['wait'], { kind: 'child' }>;

/** `control.callWorkflow`: StartChild on the same engine; the child's output is the step output. */
export const callWorkflowExecutor: LeafExecutor<CallWorkflowStep> = {
  *start(tick, step, record) {
    const input = yield* resolveTemplate(tick, step.input, 'input');
    const base = attemptId(tick.state.context.runId, step.id, record.iteration, record.attempt);
    const childRunId = childRunIdFor(base);
    tick.open({
      type: 'StartChild',
      childRunId,
      stepId: step.id,
      attemptId: base,
      workflow: step.workflow,
      input,
      ...(step.version !== undefined ? { versionRange: step.version } : {}),
    });
    tick.state.current = { stepId: step.id, record, wait: { kind: 'child', childRunId, openedAt: tick.now } };
    markRecord(tick, record, 'WAITING');
    return { kind: 'waiting' };
  },

  onInput(tick, step, current, input) {
    const wait = current.wait as ChildWait;
    if (!tick.isOpen(wait.childRunId)) return staleInput(input, step.id);
    switch (input.type) {
      case 'ChildCompleted':
        if (input.childRunId !== wait.childRunId) return staleInput(input, step.id);
        tick.close(wait.childRunId);
        checkOutputSize(tick, input.output, `output of child run ${wait.childRunId}`);
        checkStorable(input.output, `output of child run ${wait.childRunId}`, 'ValidationError');
        saveOutput(tick, step.saveAs, input.output);
        return { kind: 'completed', output: input.output };
      case 'ChildFailed':
        if (input.childRunId !== wait.childRunId) return staleInput(input, step.id);
        tick.close(wait.childRunId);
        return {
          kind: 'failed',
          error: workflowError(
            'ChildWorkflowError',
            STEP_ERROR_CODE.CHILD_WORKFLOW_FAILED,
            `child run of ${step.workflow} failed: ${input.error.message}`,
            step.id,
            { childRunId: wait.childRunId, cause: input.error },
          ),
        };
      case 'Resume':
        return nothingToResume(step.id);
      default:
        return staleInput(input, step.id);
    }
  },
};
