// The interpreter state: plain JSON, self-contained (context, limits, vars, position), so the
// Postgres engine can persist it per step and Temporal can carry it across continue-as-new.
// Drivers treat it as opaque; only the interpreter's helpers read it.
import type { JsonObject, JsonValue, StepRecord, WorkflowError } from '@baton/event-schemas';
import type { InterpreterContext, InterpreterLimits, PendingCommand } from './protocol.js';

/** Version tag of the state layout. */
export const STATE_FORMAT = 'baton.interpreter/1';

/** Where a step list lives: the definition root or a branch of a container step. */
export type BlockBranch = 'steps' | 'then' | 'else' | 'body' | 'try' | 'catch';

/** Position inside one step list. */
export interface BlockFrame {
  readonly kind: 'block';
  /** Id of the container step, `null` for the definition's top-level `steps`. */
  readonly owner: string | null;
  readonly branch: BlockBranch;
  /** Index of the step being run (or next to run) in the list. */
  index: number;
}

/** A container step (if, forEach, tryCatch) that is in progress. */
export interface ControlFrame {
  readonly kind: 'control';
  readonly stepId: string;
  record: StepRecord;
  /** control.forEach: the evaluated items and the current index. */
  loop?: { readonly items: JsonValue[]; index: number; readonly itemVar: string };
  /** control.tryCatch: set while the catch branch runs. */
  caught?: WorkflowError;
}

/** One frame of the execution position, outermost first. */
export type Frame = BlockFrame | ControlFrame;

/** What the leaf step in progress waits for. */
export type LeafWait =
  | { readonly kind: 'action'; readonly input: JsonValue; readonly idempotencyKey: string; readonly commandId: string; readonly timeoutMs?: number; retryTimerId?: string }
  | { readonly kind: 'sleep'; readonly timerId: string; readonly openedAt: string }
  | {
      readonly kind: 'event';
      readonly waitId: string;
      readonly timerId?: string;
      readonly timeoutMs?: number;
      readonly correlationKey: string;
      readonly openedAt: string;
      /** Oldest receive time of an event the wait takes (absent in states written before the event inbox: the run's start). */
      readonly since?: string;
      /** An entity wait: takes only events of the entity's queue (with a sequence), in sequence order. */
      readonly entity?: true;
    }
  | { readonly kind: 'task'; readonly taskId: string; readonly timerId?: string; readonly timeoutMs?: number; readonly openedAt: string }
  | { readonly kind: 'child'; readonly childRunId: string; readonly openedAt: string };

/** The leaf step waiting for an input. */
export interface CurrentStep {
  readonly stepId: string;
  record: StepRecord;
  wait: LeafWait;
}

/** Where a run failed, kept so an operator retry can resume at the failed step. */
export interface FailurePoint {
  /** The stack as it was when the step raised (before unwinding). */
  readonly stack: Frame[];
  readonly stepId: string;
  readonly attempt: number;
  /** The failed step's record (reused, so its seq and startedAt stay). */
  readonly record: StepRecord;
}

/** Lifecycle of one generation. */
export type GenerationStatus = 'running' | 'succeeded' | 'failed' | 'canceled' | 'continued';

/** The full interpreter state. */
export interface InterpreterState {
  readonly format: typeof STATE_FORMAT;
  readonly context: InterpreterContext;
  readonly limits: InterpreterLimits;
  readonly generation: number;
  readonly input: JsonValue;
  vars: JsonObject;
  status: GenerationStatus;
  output?: JsonValue;
  error?: WorkflowError;
  cancelReason?: string;
  stack: Frame[];
  current?: CurrentStep;
  /** Commands emitted and not yet resolved; what `pendingCommands` returns. */
  outstanding: PendingCommand[];
  /** Next StepRecord.seq. */
  seq: number;
  /** Steps started in this generation. */
  executedSteps: number;
  failure?: FailurePoint;
  /** Last time an input was applied (ISO). */
  updatedAt: string;
}
