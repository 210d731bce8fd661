import type { ActionCallStep, JsonValue, StepRecord, WorkflowError } from '@baton/event-schemas';
import { addMs } from '../clock.js';
import { resolveDurationMs, resolveString, resolveTemplate } from '../expressions.js';
import { attemptId, timerIdFor } from '../ids.js';
import type { RunActionCommand } from '../protocol.js';
import { retryDelayMs, shouldRetry } from '../retry.js';
import { secretRefsOf } from '../secret-refs.js';
import { StepFailure } from '../step-failure.js';
import { markRecord } from '../step-records.js';
import type { CurrentStep } from '../state.js';
import type { Tick } from '../tick.js';
import { checkStorable, toStorable } from '../storable-value.js';
import { checkOutputSize } from './output-limits.js';
import { saveOutput } from './save-as.js';
import { nothingToResume, staleInput } from './stale.js';
import type { LeafExecutor, StepOutcome } from './step-outcome.js';

type ActionWait = Extract<CurrentStep['wait'], { kind: 'action' }>;

function failed(step: ActionCallStep, error: WorkflowError): StepOutcome {
  return { kind: 'failed', error, continue: step.onError === 'continue' };
}

interface AttemptPlan {
  readonly input: JsonValue;
  readonly idempotencyKey: string;
  readonly timeoutMs?: number;
}

function runAttempt(tick: Tick, step: ActionCallStep, record: StepRecord, plan: AttemptPlan, attempt: number): StepOutcome {
  const { input, idempotencyKey, timeoutMs } = plan;
  const commandId = attemptId(tick.state.context.runId, step.id, record.iteration, attempt);
  const secrets = secretRefsOf(step.input);
  const command: RunActionCommand = {
    type: 'RunAction',
    commandId,
    stepId: step.id,
    path: record.path,
    action: step.action,
    actionVersion: step.actionVersion,
    input,
    attempt,
    idempotencyKey,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(secrets.length > 0 ? { secrets } : {}),
  };
  tick.open(command);
  record.attempt = attempt;
  markRecord(tick, record, 'RUNNING', record.error);
  tick.state.current = { stepId: step.id, record, wait: { kind: 'action', input, idempotencyKey, commandId, ...(timeoutMs !== undefined ? { timeoutMs } : {}) } };
  return { kind: 'waiting' };
}

/** `action.call`: resolve input and key, emit RunAction; retry with backoff by the step's policy. */
export const actionCallExecutor: LeafExecutor<ActionCallStep> = {
  *start(tick, step, record) {
    const { context } = tick.state;
    let input: JsonValue;
    let key: string;
    let timeoutMs: number | undefined;
    try {
      if (step.timeoutMs !== undefined) timeoutMs = yield* resolveDurationMs(tick, step.timeoutMs, 'timeoutMs', 1);
      input = yield* resolveTemplate(tick, step.input, 'input');
      key =
        step.idempotencyKey === undefined
          ? `${context.runId}:${step.id}:${record.iteration}`
          : yield* resolveString(tick, step.idempotencyKey, 'idempotencyKey');
    } catch (error) {
      if (error instanceof StepFailure) return failed(step, error.error);
      throw error;
    }
    return runAttempt(tick, step, record, { input, idempotencyKey: `${context.tenant}:${key}`, ...(timeoutMs !== undefined ? { timeoutMs } : {}) }, record.attempt);
  },

  onInput(tick, step, current, input) {
    const wait = current.wait as ActionWait;
    const record = current.record;
    switch (input.type) {
      case 'ActionCompleted': {
        if (input.commandId !== wait.commandId || !tick.isOpen(wait.commandId)) return staleInput(input, step.id);
        tick.close(wait.commandId);
        try {
          checkOutputSize(tick, input.output, `output of ${step.action}@${step.actionVersion}`);
          checkStorable(input.output, `output of ${step.action}@${step.actionVersion}`, 'ActionError');
        } catch (error) {
          if (error instanceof StepFailure) return failed(step, error.error);
          throw error;
        }
        saveOutput(tick, step.saveAs, input.output);
        return { kind: 'completed', output: input.output };
      }
      case 'ActionFailed': {
        if (input.commandId !== wait.commandId || !tick.isOpen(wait.commandId)) return staleInput(input, step.id);
        tick.close(wait.commandId);
        const error: WorkflowError = toStorable({ ...input.error, stepId: step.id });
        if (!shouldRetry(step.retry, error, record.attempt)) return failed(step, error);
        const delay = retryDelayMs(step.retry!, record.attempt, tick.state.context.runId);
        record.error = error;
        if (delay <= 0) return runAttempt(tick, step, record, wait, record.attempt + 1);
        const timerId = timerIdFor(attemptId(tick.state.context.runId, step.id, record.iteration, record.attempt), 'retry');
        tick.open({ type: 'StartTimer', timerId, stepId: step.id, fireAt: addMs(tick.now, delay), reason: 'retry' });
        wait.retryTimerId = timerId;
        markRecord(tick, record, 'RUNNING', error);
        return { kind: 'waiting' };
      }
      case 'TimerFired':
      case 'Resume': {
        const timerId = wait.retryTimerId;
        if (timerId === undefined || !tick.isOpen(timerId)) {
          return input.type === 'Resume' ? nothingToResume(step.id) : staleInput(input, step.id);
        }
        if (input.type === 'TimerFired' && input.timerId !== timerId) return staleInput(input, step.id);
        tick.close(timerId);
        if (input.type === 'Resume') tick.emit({ type: 'CancelTimer', timerId });
        return runAttempt(tick, step, record, wait, record.attempt + 1);
      }
      default:
        return staleInput(input, step.id);
    }
  },
};
