import type { WorkflowDefinition, WorkflowError } from '@baton/event-schemas';
import { cloneJson } from './clone-json.js';
import { indexDefinition } from './definition-index.js';
import { assertInputShape } from './input-shape.js';
import { INTERPRETER_ERROR_CODE, InterpreterError } from './interpreter-error.js';
import { cancelRun, initialState, retryFailedRun, startRun } from './lifecycle.js';
import { resolveLimits } from './limits.js';
import type { AdvanceOptions, AdvanceResult, InterpreterInput } from './protocol.js';
import { deliverToCurrent, proceed } from './scheduler.js';
import { STATE_FORMAT, type InterpreterState } from './state.js';
import { staleInput } from './executors/stale.js';
import { Tick } from './tick.js';
import { settleWork, type Work } from './work.js';
import { REJECTION_CODE, workflowError } from './workflow-errors.js';

function rejected(state: InterpreterState, rejection: WorkflowError): AdvanceResult {
  return { state, commands: [], steps: [], accepted: false, rejection };
}

function rejection(code: string, message: string): WorkflowError {
  return workflowError('ValidationError', code, message);
}

function assertState(definition: WorkflowDefinition, state: InterpreterState): void {
  if (typeof state !== 'object' || state === null || state.format !== STATE_FORMAT) {
    throw new InterpreterError(INTERPRETER_ERROR_CODE.INVALID_STATE, `the state is not a ${STATE_FORMAT} state`, 'state');
  }
  if (state.context.workflow !== definition.name || state.context.version !== definition.version) {
    throw new InterpreterError(
      INTERPRETER_ERROR_CODE.DEFINITION_MISMATCH,
      `the run is ${state.context.workflow}@${state.context.version}, the definition is ${definition.name}@${definition.version}`,
      'definition',
    );
  }
}

/**
 * Applies one input to a run: pure and deterministic (the clock is `input.now`; no I/O, no
 * randomness), so the same definition, state and input always give an identical result.
 * The given state is never modified. Throws only {@link InterpreterError} (driver misuse).
 */
export function advance(
  definition: WorkflowDefinition,
  state: InterpreterState | undefined,
  input: InterpreterInput,
  options: AdvanceOptions = {},
): Promise<AdvanceResult> {
  // Synchronous unless an expression needs the asynchronous evaluator (see work.ts).
  return settleWork(advanceWork(definition, state, input, options));
}

function* advanceWork(definition: WorkflowDefinition, state: InterpreterState | undefined, input: InterpreterInput, options: AdvanceOptions): Work<AdvanceResult> {
  assertInputShape(input);
  const index = indexDefinition(definition);
  let tick: Tick;
  if (input.type === 'Start') {
    if (state !== undefined) return rejected(state, rejection(REJECTION_CODE.RUN_ALREADY_STARTED, 'the run has already started'));
    if (input.context.workflow !== definition.name || input.context.version !== definition.version) {
      throw new InterpreterError(
        INTERPRETER_ERROR_CODE.DEFINITION_MISMATCH,
        `Start is for ${input.context.workflow}@${input.context.version}, the definition is ${definition.name}@${definition.version}`,
        'definition',
      );
    }
    const fresh = initialState(input.context, resolveLimits(options.limits), input.input, input.generation ?? 0, input.now);
    tick = new Tick(index, fresh, input.now);
    yield* startRun(tick, definition);
  } else {
    if (state === undefined) {
      throw new InterpreterError(INTERPRETER_ERROR_CODE.INVALID_STATE, `${input.type} needs the run state (only Start takes none)`, 'state');
    }
    assertState(definition, state);
    tick = new Tick(index, cloneJson(state), input.now);
    const working = tick.state;
    if (input.type === 'RetryFailed') {
      const code = yield* retryFailedRun(tick);
      if (code) return rejected(state, rejection(code, code === REJECTION_CODE.RUN_NOT_FAILED ? 'the run has not failed' : 'the run failed before any step; nothing to retry'));
    } else if (working.status !== 'running') {
      return rejected(state, rejection(REJECTION_CODE.RUN_ALREADY_FINISHED, `the run is ${working.status}`));
    } else if (input.type === 'Cancel') {
      cancelRun(tick, input.reason);
    } else if (working.current === undefined) {
      if (input.type === 'Resume') return rejected(state, rejection(REJECTION_CODE.NOTHING_TO_RESUME, 'the run has no wait an operator can resolve'));
      const stale = staleInput(input);
      return rejected(state, stale.kind === 'rejected' ? stale.rejection : rejection(REJECTION_CODE.STALE_INPUT, 'stale'));
    } else {
      const refused = yield* deliverToCurrent(tick, input);
      if (refused) return rejected(state, refused);
      yield* proceed(tick);
    }
  }
  tick.state.updatedAt = input.now;
  return { state: cloneJson(tick.state), commands: cloneJson(tick.commands), steps: cloneJson(tick.steps), accepted: true };
}
