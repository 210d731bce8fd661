// The run loop: starts steps in order until one waits or the generation ends, and applies
// step outcomes (completion, waiting, failure through the error rules, finish).
import type { Step, StepRecord, WorkflowError } from '@baton/event-schemas';
import { cloneJson } from './clone-json.js';
import { blockSteps, stepById } from './definition-index.js';
import { controlExecutorFor, isContainerStep, leafExecutorFor } from './executors/index.js';
import type { StepOutcome } from './executors/step-outcome.js';
import { INTERPRETER_ERROR_CODE, InterpreterError } from './interpreter-error.js';
import { jsonByteLength } from './limits.js';
import type { InterpreterInput } from './protocol.js';
import { advanceBlock, completeControlFrame } from './stack-ops.js';
import { StepFailure } from './step-failure.js';
import { toStorable } from './storable-value.js';
import { finishRecord, newStepRecord, reopenRecord } from './step-records.js';
import type { FailurePoint } from './state.js';
import type { Tick } from './tick.js';
import { isHandled, unwind } from './unwind.js';
import { isWork, type MaybeWork, type Work } from './work.js';
import { STEP_ERROR_CODE, workflowError } from './workflow-errors.js';

/** Ends the generation FAILED with `error` (keeping where, for an operator retry). */
export function failRun(tick: Tick, unsafeError: WorkflowError, failure?: FailurePoint): void {
  const { state } = tick;
  const error = toStorable(unsafeError);
  state.status = 'failed';
  state.error = error;
  state.stack = [];
  delete state.current;
  if (failure) state.failure = failure;
  else delete state.failure;
  tick.emit({ type: 'Fail', error });
}

function completeRun(tick: Tick): void {
  const { state } = tick;
  const output = cloneJson(state.vars);
  const bytes = jsonByteLength(output);
  if (bytes > state.limits.maxOutputBytes) {
    failRun(
      tick,
      workflowError('ValidationError', STEP_ERROR_CODE.OUTPUT_TOO_LARGE, `run output (vars) is ${bytes} bytes, over the limit of ${state.limits.maxOutputBytes}`),
    );
    return;
  }
  state.status = 'succeeded';
  state.output = output;
  tick.emit({ type: 'Complete', output });
}

function raise(tick: Tick, step: Step, record: StepRecord, error: WorkflowError): void {
  finishRecord(tick, record, 'FAILED', { error });
  // Snapshot before unwinding, only when nothing will catch it: an operator retry resumes here.
  const failure: FailurePoint | undefined = isHandled(tick, error)
    ? undefined
    : { stack: cloneJson(tick.state.stack), stepId: step.id, attempt: record.attempt, record: cloneJson(record) };
  if (!unwind(tick, error)) failRun(tick, error, failure);
}

/** Applies what a step's start or input handling led to. */
export function applyOutcome(tick: Tick, step: Step, record: StepRecord, outcome: StepOutcome): void {
  const { state } = tick;
  switch (outcome.kind) {
    case 'completed':
      delete state.current;
      finishRecord(tick, record, 'SUCCEEDED', outcome.output !== undefined ? { output: outcome.output } : {});
      advanceBlock(tick);
      return;
    case 'waiting':
    case 'entered':
      return;
    case 'failed': {
      delete state.current;
      // An error's text comes from expressions and actions: kept, but made storable.
      const error: WorkflowError = toStorable(outcome.error.stepId === undefined ? { ...outcome.error, stepId: step.id } : outcome.error);
      if (outcome.continue && error.category !== 'Canceled') {
        finishRecord(tick, record, 'FAILED', { error });
        advanceBlock(tick);
        return;
      }
      raise(tick, step, record, error);
      return;
    }
    case 'finished':
      delete state.current;
      finishRecord(tick, record, 'SUCCEEDED');
      for (const frame of state.stack) if (frame.kind === 'control') finishRecord(tick, frame.record, 'SUCCEEDED');
      state.stack = [];
      return;
    case 'rejected':
      throw new Error('a rejection must be handled before applying an outcome');
  }
}

/** The outcome of an executor call: a StepFailure it throws (at once or while working) is a failed outcome. */
function* settle(run: () => MaybeWork<StepOutcome>): Work<StepOutcome> {
  try {
    const started = run();
    return isWork(started) ? yield* started : started;
  } catch (error) {
    if (error instanceof StepFailure) return { kind: 'failed', error: error.error };
    throw error;
  }
}

/** Starts one step at the current position (or restarts it, for an operator retry). */
export function* startStep(tick: Tick, step: Step, reopen?: { record: StepRecord; attempt: number }): Work<void> {
  const { state } = tick;
  if (state.executedSteps >= state.limits.maxExecutedSteps) {
    // A runaway guard, not a step error: it is not catchable, like a cancellation.
    failRun(
      tick,
      workflowError('ValidationError', STEP_ERROR_CODE.STEP_LIMIT_EXCEEDED, `the run executed ${state.executedSteps} steps, the limit`, step.id),
    );
    return;
  }
  state.executedSteps++;
  let record: StepRecord;
  if (reopen) {
    record = reopen.record;
    reopenRecord(tick, record, reopen.attempt);
  } else record = newStepRecord(tick, step);
  const executor = isContainerStep(step) ? controlExecutorFor(step) : leafExecutorFor(step);
  applyOutcome(tick, step, record, yield* settle(() => executor.start(tick, step, record)));
}

/** Feeds an input to the waiting leaf step; returns the rejection when it did not apply. */
export function* deliverToCurrent(tick: Tick, input: InterpreterInput): Work<WorkflowError | undefined> {
  const current = tick.state.current!;
  const step = stepById(tick.index, current.stepId);
  const executor = leafExecutorFor(step);
  if (!executor.onInput) throw new InterpreterError(INTERPRETER_ERROR_CODE.INVALID_STATE, `step ${step.id} does not wait for inputs`, 'state.current');
  const onInput = executor.onInput;
  const outcome = yield* settle(() => onInput.call(executor, tick, step, current, input));
  if (outcome.kind === 'rejected') return outcome.rejection;
  applyOutcome(tick, step, current.record, outcome);
  return undefined;
}

/** Runs steps until one waits or the generation ends. */
export function* proceed(tick: Tick): Work<void> {
  const { state } = tick;
  while (state.status === 'running' && state.current === undefined) {
    const top = state.stack[state.stack.length - 1];
    if (!top) {
      completeRun(tick);
      return;
    }
    if (top.kind !== 'block') throw new InterpreterError(INTERPRETER_ERROR_CODE.INVALID_STATE, 'a container step has no block on top', 'state.stack');
    const steps = blockSteps(tick.index, top);
    const step = steps[top.index];
    if (step) {
      yield* startStep(tick, step);
      continue;
    }
    state.stack.pop();
    const parent = state.stack[state.stack.length - 1];
    if (!parent) continue;
    if (parent.kind !== 'control') throw new InterpreterError(INTERPRETER_ERROR_CODE.INVALID_STATE, 'a block is nested in a block', 'state.stack');
    const owner = stepById(tick.index, parent.stepId);
    if (controlExecutorFor(owner).onBlockEnd(tick, owner, parent).kind === 'completed') completeControlFrame(tick, parent);
  }
}
