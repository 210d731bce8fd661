import type { HumanTaskStep, JsonValue } from '@baton/event-schemas';
import { addMs } from '../clock.js';
import { resolveDurationMs, resolveString } from '../expressions.js';
import { attemptId, taskIdFor, timerIdFor } from '../ids.js';
import type { AwaitHumanTaskCommand } from '../protocol.js';
import { markRecord } from '../step-records.js';
import type { CurrentStep } from '../state.js';
import type { Tick } from '../tick.js';
import { STEP_ERROR_CODE, workflowError } from '../workflow-errors.js';
import { checkStorable } from '../storable-value.js';
import { checkOutputSize } from './output-limits.js';
import { saveOutput } from './save-as.js';
import { staleInput } from './stale.js';
import { taskResponseRejection } from './task-response.js';
import type { LeafExecutor, StepOutcome } from './step-outcome.js';

type TaskWait = Extract<CurrentStep['wait'], { kind: 'task' }>;

function complete(tick: Tick, step: HumanTaskStep, wait: TaskWait, response: JsonValue): StepOutcome {
  tick.close(wait.taskId);
  if (wait.timerId !== undefined) {
    tick.close(wait.timerId);
    tick.emit({ type: 'CancelTimer', timerId: wait.timerId });
  }
  checkOutputSize(tick, response, `response of task ${wait.taskId}`);
  checkStorable(response, `response of task ${wait.taskId}`, 'ValidationError');
  saveOutput(tick, step.saveAs, response);
  return { kind: 'completed', output: response };
}

/** `human.task`: AwaitHumanTask (+ timeout timer); a response must satisfy `formSchema`. */
export const humanTaskExecutor: LeafExecutor<HumanTaskStep> = {
  *start(tick, step, record) {
    const title = yield* resolveString(tick, step.title, 'title');
    const assignee = step.assignee !== undefined ? yield* resolveString(tick, step.assignee, 'assignee') : undefined;
    const base = attemptId(tick.state.context.runId, step.id, record.iteration, record.attempt);
    const taskId = taskIdFor(base);
    const timeoutMs = step.timeoutMs !== undefined ? yield* resolveDurationMs(tick, step.timeoutMs, 'timeoutMs', 1) : undefined;
    const timeoutAt = timeoutMs !== undefined ? addMs(tick.now, timeoutMs) : undefined;
    const command: AwaitHumanTaskCommand = {
      type: 'AwaitHumanTask',
      taskId,
      stepId: step.id,
      taskType: step.taskType,
      title,
      ...(step.formSchema !== undefined ? { formSchema: step.formSchema } : {}),
      ...(assignee !== undefined ? { assignee } : {}),
      ...(timeoutAt !== undefined ? { timeoutAt } : {}),
    };
    tick.open(command);
    let timerId: string | undefined;
    if (timeoutAt !== undefined) {
      timerId = timerIdFor(base, 'timeout');
      tick.open({ type: 'StartTimer', timerId, stepId: step.id, fireAt: timeoutAt, reason: 'timeout' });
    }
    tick.state.current = { stepId: step.id, record, wait: { kind: 'task', taskId, openedAt: tick.now, ...(timerId !== undefined ? { timerId, timeoutMs } : {}) } };
    markRecord(tick, record, 'WAITING');
    return { kind: 'waiting' };
  },

  onInput(tick, step, current, input) {
    const wait = current.wait as TaskWait;
    if (!tick.isOpen(wait.taskId)) return staleInput(input, step.id);
    switch (input.type) {
      case 'HumanTaskCompleted': {
        if (input.taskId !== wait.taskId) return staleInput(input, step.id);
        const rejection = taskResponseRejection(step.formSchema, input.response, step.id);
        if (rejection) return { kind: 'rejected', rejection };
        return complete(tick, step, wait, input.response);
      }
      case 'Resume':
        return complete(tick, step, wait, input.response ?? null);
      case 'TimerFired': {
        if (input.timerId !== wait.timerId) return staleInput(input, step.id);
        tick.close(wait.timerId);
        tick.close(wait.taskId);
        tick.emit({ type: 'CancelWait', waitId: wait.taskId, waitType: 'HUMAN_TASK', reason: 'timeout' });
        return {
          kind: 'failed',
          error: workflowError('TimeoutError', STEP_ERROR_CODE.TASK_TIMEOUT, `task ${step.taskType} not completed within ${wait.timeoutMs} ms`, step.id),
        };
      }
      default:
        return staleInput(input, step.id);
    }
  },
};

