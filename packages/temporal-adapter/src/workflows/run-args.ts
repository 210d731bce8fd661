// The input of the Baton workflow. It carries the definition (and its hash) so a run is
// self-contained and deterministic: nothing is looked up while the interpreter runs.
import type { JsonValue, RoutedEvent, WorkflowDefinition } from '@baton/event-schemas';
import type { InterpreterContext, InterpreterLimits, InterpreterState, ShadowLink } from '@baton/runtime-core';
import type { TaskCompletionMessage } from './workflow-messages.js';

/** Tuning of the workflow; carried unchanged across continue-as-new. */
export interface BatonRunSettings {
  /**
   * Steps executed in one Temporal run after which the run continues as new (state carried);
   * Temporal's own `continueAsNewSuggested` also triggers it.
   * @default the definition's `maxStepsPerHistory` limit (10000)
   */
  readonly maxStepsPerRun?: number;
  /** Interpreter limit overrides (read at Start). @default {} */
  readonly limits?: Partial<InterpreterLimits>;
  /** Start-to-close timeout of an action attempt whose step sets no `timeoutMs`. @default 300_000 */
  readonly actionTimeoutMs?: number;
  /**
   * Heartbeat timeout of an action attempt: the activity heartbeats every 2 s while the action runs
   * (the heartbeats carry nothing), so a worker that died or an activity completion that was lost
   * (Temporal restarted) is noticed after this long instead of at the start-to-close timeout. @default 10_000
   */
  readonly actionHeartbeatTimeoutMs?: number;
  /**
   * How many times an action attempt whose worker stopped reporting (heartbeat or start-to-close
   * timeout, or a worker-side failure that is not an action error) is handed to a worker again before
   * the step sees the failure. A hand-over reuses a completed invocation's stored output (never runs
   * the action again); it does not count as a retry of the step. @default 10
   */
  readonly lostActionAttempts?: number;
  /** How many taken event ids the run remembers in memory (oldest dropped first; the projection keeps them all). @default 2000 */
  readonly maxSeenEventIds?: number;
  /** Generations a run may start back to back (no input but their own Start) before it fails with `CONTINUE_AS_NEW_LIMIT_EXCEEDED`. @default MAX_BACK_TO_BACK_GENERATIONS (1000) */
  readonly maxBackToBackGenerations?: number;
}

/** What a run hands to the next Temporal run when it continues as new. */
export interface CarriedRunState {
  /** Automatic continue-as-new: the interpreter state, so the run goes on exactly where it was. */
  readonly state?: InterpreterState;
  /** Events delivered and not yet taken by a wait (earliest received first). */
  readonly bufferedEvents: readonly RoutedEvent[];
  /** Ids of events the run took (an event resumes a run at most once), newest last. */
  readonly seenEventIds: readonly string[];
  /** Task completions delivered before their task was open. */
  readonly bufferedTasks: readonly TaskCompletionMessage[];
  /** Ids of tasks already completed (so a repeated completion is a no-op). */
  readonly completedTaskIds: readonly string[];
  /** `localActivity` interpreter: advances asked so far in this generation (the sequence check goes on from here). */
  readonly advanceSequence?: number;
}

/** The argument of the `batonRun` workflow. */
export interface BatonRunArgs {
  /** Who the run is (`engine` is `temporal`). */
  readonly context: InterpreterContext;
  readonly definition: WorkflowDefinition;
  /** Content hash of `definition`, recorded on the run. */
  readonly definitionHash: string;
  /** The run input (of this generation after `control.continueAsNew`). */
  readonly input: JsonValue;
  /** The key weighted version policies hash when the version is resolved again at continue-as-new. */
  readonly runKey: string;
  /** continue-as-new generation of the definition. @default 0 */
  readonly generation?: number;
  /** Generations started back to back up to this one (runtime-core `planNextGeneration`). @default 0 */
  readonly backToBack?: number;
  readonly carried?: CarriedRunState;
  readonly settings?: BatonRunSettings;
  /** The run's place in a shadow pair (a shadow's action calls are answered from its primary's). */
  readonly shadow?: ShadowLink;
}
