import type { JsonValue, Step, StepRecord, WorkflowError } from '@baton/event-schemas';
import type { InterpreterInput } from '../protocol.js';
import type { ControlFrame, CurrentStep } from '../state.js';
import type { Tick } from '../tick.js';
import type { MaybeWork } from '../work.js';

/** What starting a step, or feeding an input to it, led to. */
export type StepOutcome =
  /** The step finished SUCCEEDED (with this output); the run moves to the next step. */
  | { readonly kind: 'completed'; readonly output?: JsonValue }
  /** The step emitted commands and waits for an input (`state.current` is set). */
  | { readonly kind: 'waiting' }
  /** A container step pushed its frames; the scheduler runs its branch. */
  | { readonly kind: 'entered' }
  /** The step failed; `continue` = onError "continue" (record FAILED, go on), else the error rules apply. */
  | { readonly kind: 'failed'; readonly error: WorkflowError; readonly continue?: boolean }
  /** The step ended the generation (return, continueAsNew); commands are emitted. */
  | { readonly kind: 'finished' }
  /** The input did not apply; nothing changed. */
  | { readonly kind: 'rejected'; readonly rejection: WorkflowError };

/** Runs one step type that waits for inputs (or completes at once). */
export interface LeafExecutor<S extends Step = Step> {
  /** Starts the step; its record exists (RUNNING) and is passed in. Work when it evaluates expressions. */
  start(tick: Tick, step: S, record: StepRecord): MaybeWork<StepOutcome>;
  /** Applies an input addressed to the waiting step. */
  onInput?(tick: Tick, step: S, current: CurrentStep, input: InterpreterInput): MaybeWork<StepOutcome>;
}

/** Runs one container step type (if, forEach, tryCatch). */
export interface ControlExecutor<S extends Step = Step> {
  /** Starts the step: pushes its control frame and first block, or completes at once. */
  start(tick: Tick, step: S, record: StepRecord): MaybeWork<StepOutcome>;
  /** Called when the block on top of its frame ran to its end: 'entered' (next block) or 'completed'. */
  onBlockEnd(tick: Tick, step: S, frame: ControlFrame): StepOutcome;
}
