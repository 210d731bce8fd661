// Run-level transitions that are not a step's business: start, cancel, operator retry.
import type { JsonValue, WorkflowDefinition } from '@baton/event-schemas';
import { validateAgainstJsonSchema } from '../json-schema/validate-json-schema.js';
import { cloneJson } from './clone-json.js';
import { blockSteps } from './definition-index.js';
import { jsonByteLength } from './limits.js';
import type { InterpreterContext, InterpreterLimits } from './protocol.js';
import { failRun, proceed, startStep } from './scheduler.js';
import { finishRecord, reopenRecord } from './step-records.js';
import { STATE_FORMAT, type InterpreterState } from './state.js';
import { StepFailure } from './step-failure.js';
import { checkStorable, toStorable } from './storable-value.js';
import { runCanceledError } from './terminal-outcome.js';
import type { Tick } from './tick.js';
import type { Work } from './work.js';
import { REJECTION_CODE, STEP_ERROR_CODE, workflowError } from './workflow-errors.js';

/** A fresh state for a generation (not yet run). */
export function initialState(
  context: InterpreterContext,
  limits: InterpreterLimits,
  input: JsonValue,
  generation: number,
  now: string,
): InterpreterState {
  return {
    format: STATE_FORMAT,
    context: { ...context },
    limits: { ...limits },
    generation,
    input: cloneJson(input),
    vars: {},
    status: 'running',
    stack: [{ kind: 'block', owner: null, branch: 'steps', index: 0 }],
    outstanding: [],
    seq: 0,
    executedSteps: 0,
    updatedAt: now,
  };
}

/** Checks the run input (size, inputSchema), then runs the first steps. */
export function* startRun(tick: Tick, definition: WorkflowDefinition): Work<void> {
  const { state } = tick;
  const bytes = jsonByteLength(state.input);
  if (bytes > state.limits.maxInputBytes) {
    failRun(tick, workflowError('ValidationError', STEP_ERROR_CODE.INPUT_TOO_LARGE, `run input is ${bytes} bytes, over the limit of ${state.limits.maxInputBytes}`));
    return;
  }
  try {
    checkStorable(state.input, 'run input', 'ValidationError');
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    // The failed state keeps a storable copy of the input, so the failure itself can be committed.
    (state as { input: JsonValue }).input = toStorable(state.input);
    failRun(tick, error.error);
    return;
  }
  const valid = validateAgainstJsonSchema(definition.inputSchema, state.input);
  if (!valid.ok) {
    const issues = valid.issues.map((i) => ({ path: i.path, message: i.message, code: i.code }));
    failRun(
      tick,
      workflowError(
        'ValidationError',
        STEP_ERROR_CODE.INPUT_SCHEMA_MISMATCH,
        `run input does not satisfy inputSchema: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
        undefined,
        { issues },
      ),
    );
    return;
  }
  yield* proceed(tick);
}

/** Cancels a running generation: closes what is open, records steps CANCELED. */
export function cancelRun(tick: Tick, reason: string): void {
  const { state } = tick;
  for (const command of state.outstanding) {
    switch (command.type) {
      case 'StartTimer':
        tick.emit({ type: 'CancelTimer', timerId: command.timerId });
        break;
      case 'AwaitEvent':
        tick.emit({ type: 'CancelWait', waitId: command.waitId, waitType: 'EVENT', reason: 'canceled' });
        break;
      case 'AwaitHumanTask':
        tick.emit({ type: 'CancelWait', waitId: command.taskId, waitType: 'HUMAN_TASK', reason: 'canceled' });
        break;
      case 'StartChild':
        tick.emit({ type: 'CancelChild', childRunId: command.childRunId, reason });
        break;
      case 'RunAction':
        // An action in flight cannot be recalled; its late result is rejected as stale.
        break;
    }
  }
  const error = runCanceledError(reason);
  if (state.current) finishRecord(tick, state.current.record, 'CANCELED', { error });
  for (let i = state.stack.length - 1; i >= 0; i--) {
    const frame = state.stack[i]!;
    if (frame.kind === 'control') finishRecord(tick, frame.record, 'CANCELED', { error });
  }
  state.outstanding = [];
  state.stack = [];
  delete state.current;
  state.status = 'canceled';
  state.cancelReason = reason;
  state.error = error;
  tick.emit({ type: 'Canceled', reason });
}

/** Operator retry of a FAILED run: the failed step runs again at attempt n+1; returns a rejection code if impossible. */
export function* retryFailedRun(tick: Tick): Work<string | undefined> {
  const { state } = tick;
  if (state.status !== 'failed') return REJECTION_CODE.RUN_NOT_FAILED;
  const failure = state.failure;
  if (!failure) return REJECTION_CODE.NOTHING_TO_RETRY;
  state.status = 'running';
  delete state.error;
  delete state.failure;
  state.stack = cloneJson(failure.stack);
  for (const frame of state.stack) if (frame.kind === 'control') reopenRecord(tick, frame.record, frame.record.attempt);
  const top = state.stack[state.stack.length - 1];
  const step = top?.kind === 'block' ? blockSteps(tick.index, top)[top.index] : undefined;
  if (!step || step.id !== failure.stepId) return REJECTION_CODE.NOTHING_TO_RETRY;
  yield* startStep(tick, step, { record: cloneJson(failure.record), attempt: failure.attempt + 1 });
  yield* proceed(tick);
  return undefined;
}
