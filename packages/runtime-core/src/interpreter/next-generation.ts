// The next generation at control.continueAsNew, decided once for every driver: which version it
// runs (the version policy again, unless the step pinned the current version), the Start it begins
// with, and the runaway guard on generations started back to back (without any other input).
import type { WorkflowError } from '@baton/event-schemas';
import { failUnstorableRun } from './fail-unstorable-run.js';
import type { ContinueAsNewCommand, StartInput } from './protocol.js';
import type { InterpreterState } from './state.js';
import { workflowError } from './workflow-errors.js';

/** Code of the error that fails a run continuing as new too often back to back. */
export const CONTINUE_AS_NEW_LIMIT_EXCEEDED = 'CONTINUE_AS_NEW_LIMIT_EXCEEDED';

/** Generations a run may start back to back (no input but their own Start between them). @default */
export const MAX_BACK_TO_BACK_GENERATIONS = 1_000;

/** The run as the driver knows it when a generation ended with ContinueAsNew. */
export interface GenerationRun {
  readonly workflow: string;
  /** the version the ending generation ran */
  readonly version: string;
  /** the key weighted version policies hash (execution key, else run id) */
  readonly runKey: string;
}

/** What the driver asks its registry for (`registry.resolve(tenant, workflow, {runKey, pinVersion?})`). */
export interface NextVersionRequest {
  readonly workflow: string;
  readonly runKey: string;
  /** resolve exactly this version; absent: apply the workflow's version policy */
  readonly pinVersion?: string;
}

/** What a driver does at a ContinueAsNew. */
export type NextGenerationPlan =
  | {
      readonly kind: 'start';
      /** the step pinned the version the run already runs: reuse the current definition, resolve nothing */
      readonly keepCurrent: boolean;
      readonly request: NextVersionRequest;
      /** pass this as `backToBack` when the next generation ends with ContinueAsNew again before any other input */
      readonly backToBack: number;
    }
  | {
      readonly kind: 'limit';
      /** the run's error (`ValidationError` `CONTINUE_AS_NEW_LIMIT_EXCEEDED`, not catchable: the run has ended) */
      readonly error: WorkflowError;
    };

/** The error of a run that continued as new `limit` times back to back. */
export function continueAsNewLimitError(limit: number): WorkflowError {
  return workflowError(
    'ValidationError',
    CONTINUE_AS_NEW_LIMIT_EXCEEDED,
    `the run continued as new ${limit} times back to back without waiting for anything`,
    undefined,
    { limit },
  );
}

/**
 * Plans the next generation. `backToBack` is how many generations the driver started since the run
 * last took an input other than a generation's Start (0 when the ending generation took one).
 */
export function planNextGeneration(command: ContinueAsNewCommand, run: GenerationRun, backToBack: number, limit: number = MAX_BACK_TO_BACK_GENERATIONS): NextGenerationPlan {
  if (backToBack >= limit) return { kind: 'limit', error: continueAsNewLimitError(limit) };
  return {
    kind: 'start',
    keepCurrent: command.pinVersion !== undefined && command.pinVersion === run.version,
    request: { workflow: run.workflow, runKey: run.runKey, ...(command.pinVersion !== undefined ? { pinVersion: command.pinVersion } : {}) },
    backToBack: backToBack + 1,
  };
}

/** The Start of the next generation on `version` (the run's start time and identity carry over). */
export function nextGenerationStart(ended: InterpreterState, command: ContinueAsNewCommand, version: string, now: string): StartInput {
  return { type: 'Start', now, context: { ...ended.context, version }, input: command.input, generation: command.generation };
}

/** The state a driver commits when {@link planNextGeneration} answered `limit`: FAILED with its error, nothing open. */
export function generationLimitState(ended: InterpreterState, error: WorkflowError, now: string): InterpreterState {
  return failUnstorableRun(ended, error, now);
}
