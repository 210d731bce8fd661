// The contract between the one interpreter and its drivers (Postgres engine, Temporal
// workflow, in-memory conformance harness). Drivers turn commands into effects and feed
// the results back as inputs; they never look inside a step or inside the state.
import type {
  EngineKind,
  JsonValue,
  RoutedEvent,
  RunStatus,
  StepRecord,
  WorkflowDefinition,
  WorkflowError,
} from '@baton/event-schemas';
import type { SecretRef } from './secret-refs.js';
import type { InterpreterState } from './state.js';

/** Who and what a run is; becomes `run` in expressions (`{id, tenant, workflow, version, engine, startedAt}`). */
export interface InterpreterContext {
  readonly runId: string;
  readonly tenant: string;
  readonly workflow: string;
  readonly version: string;
  readonly engine: EngineKind;
  /** ISO time the run (first generation) started. */
  readonly startedAt: string;
  /** Entity workflows: the entity key the run serves (`run.entityKey`); absent for other runs. */
  readonly entityKey?: string;
}

/** Limits enforced by the interpreter with typed errors (SPEC-dsl "Limits"). */
export interface InterpreterLimits {
  /** Max UTF-8 bytes of the run input. @default 262144 */
  readonly maxInputBytes: number;
  /** Max UTF-8 bytes of any step output (action, child, event payload, task response, run output). @default 262144 */
  readonly maxOutputBytes: number;
  /** Max items of one control.forEach. @default 10000 */
  readonly maxForEachItems: number;
  /** Executed steps per Temporal history: the Temporal driver continues-as-new (carrying the state) when `executedStepCount` grew by this much. Not a failure. @default 10000 */
  readonly maxStepsPerHistory: number;
  /** Hard cap of executed steps in one generation; exceeding it fails the run (`STEP_LIMIT_EXCEEDED`). @default 1000000 */
  readonly maxExecutedSteps: number;
}

/** Input kinds, as `type` discriminators. */
export const INPUT_TYPE = {
  Start: 'Start',
  ActionCompleted: 'ActionCompleted',
  ActionFailed: 'ActionFailed',
  TimerFired: 'TimerFired',
  EventReceived: 'EventReceived',
  HumanTaskCompleted: 'HumanTaskCompleted',
  ChildCompleted: 'ChildCompleted',
  ChildFailed: 'ChildFailed',
  Cancel: 'Cancel',
  RetryFailed: 'RetryFailed',
  Resume: 'Resume',
} as const;
export type InputType = (typeof INPUT_TYPE)[keyof typeof INPUT_TYPE];

interface InputBase {
  /** Logical clock: the only source of time for the interpreter (ISO-8601). */
  readonly now: string;
}

/** Starts a run (or the next generation after ContinueAsNew); state must be `undefined`. */
export interface StartInput extends InputBase {
  readonly type: 'Start';
  readonly context: InterpreterContext;
  readonly input: JsonValue;
  /** continueAsNew generation; pass `ContinueAsNew.generation` when restarting. @default 0 */
  readonly generation?: number;
}
/** A RunAction command finished with this output. */
export interface ActionCompletedInput extends InputBase {
  readonly type: 'ActionCompleted';
  readonly commandId: string;
  readonly output: JsonValue;
}
/** A RunAction command failed (use `executeAction` to map thrown errors). */
export interface ActionFailedInput extends InputBase {
  readonly type: 'ActionFailed';
  readonly commandId: string;
  readonly error: WorkflowError;
}
/** A StartTimer command's timer is due. */
export interface TimerFiredInput extends InputBase {
  readonly type: 'TimerFired';
  readonly timerId: string;
}
/** A routed event for an AwaitEvent wait. */
export interface EventReceivedInput extends InputBase {
  readonly type: 'EventReceived';
  readonly waitId: string;
  readonly event: RoutedEvent;
}
/** A response to an AwaitHumanTask task. */
export interface HumanTaskCompletedInput extends InputBase {
  readonly type: 'HumanTaskCompleted';
  readonly taskId: string;
  readonly response: JsonValue;
  readonly completedBy?: string;
}
/** A StartChild child run succeeded. */
export interface ChildCompletedInput extends InputBase {
  readonly type: 'ChildCompleted';
  readonly childRunId: string;
  readonly output: JsonValue;
}
/** A StartChild child run failed (or was canceled). */
export interface ChildFailedInput extends InputBase {
  readonly type: 'ChildFailed';
  readonly childRunId: string;
  readonly error: WorkflowError;
}
/** Cancels the run; never caught by tryCatch. */
export interface CancelInput extends InputBase {
  readonly type: 'Cancel';
  readonly reason: string;
}
/**
 * Operator "retry from the failed step" of a FAILED run: the failed step runs again
 * with attempt n+1 (attempts are cumulative). Only the Postgres engine offers it.
 */
export interface RetryFailedInput extends InputBase {
  readonly type: 'RetryFailed';
  readonly reason?: string;
}
/**
 * Operator resolves the current wait: an event wait resumes with `{eventId: "operator-resume",
 * payload: response}` (no filter), a task completes with `response` (no form check), a
 * timer (sleep or retry backoff) fires now. Only the Postgres engine offers it.
 */
export interface ResumeInput extends InputBase {
  readonly type: 'Resume';
  readonly reason: string;
  readonly response?: JsonValue;
}

/** Everything a driver may feed to {@link Advance}. */
export type InterpreterInput =
  | StartInput
  | ActionCompletedInput
  | ActionFailedInput
  | TimerFiredInput
  | EventReceivedInput
  | HumanTaskCompletedInput
  | ChildCompletedInput
  | ChildFailedInput
  | CancelInput
  | RetryFailedInput
  | ResumeInput;

/** Why a timer exists. */
export const TIMER_REASON = { sleep: 'sleep', retry: 'retry', timeout: 'timeout' } as const;
export type TimerReason = (typeof TIMER_REASON)[keyof typeof TIMER_REASON];

/** Run one attempt of an action (execute it with `executeAction`, then feed ActionCompleted/ActionFailed). */
export interface RunActionCommand {
  readonly type: 'RunAction';
  /** Unique per attempt: `${runId}:${stepId}:${iteration}:${attempt}`. */
  readonly commandId: string;
  readonly stepId: string;
  readonly path: string;
  readonly action: string;
  readonly actionVersion: number;
  readonly input: JsonValue;
  /** 1-based, cumulative per step. */
  readonly attempt: number;
  /** `${tenant}:${key}`; the same across retries. */
  readonly idempotencyKey: string;
  readonly timeoutMs?: number;
  /**
   * The literal `{"$secret": name}` references of the step's input (absent when none): the action
   * executor replaces them with the tenant's secret values when the action runs; `input` keeps the
   * references, so no value reaches the state, the step records or an engine's history.
   */
  readonly secrets?: readonly SecretRef[];
}
/** Start a durable timer; feed TimerFired when due. */
export interface StartTimerCommand {
  readonly type: 'StartTimer';
  readonly timerId: string;
  readonly stepId: string;
  readonly fireAt: string;
  readonly reason: TimerReason;
}
/** Drop a timer that is no longer needed (a late TimerFired is rejected as stale anyway). */
export interface CancelTimerCommand {
  readonly type: 'CancelTimer';
  readonly timerId: string;
}
/** Open an event wait (route events by tenant + eventName + correlationKey); feed EventReceived. */
export interface AwaitEventCommand {
  readonly type: 'AwaitEvent';
  readonly waitId: string;
  readonly stepId: string;
  readonly eventName: string;
  readonly correlationKey: string;
  /**
   * The wait takes the earliest inbox event received at or after this time (the run's start, or the
   * wait's own start with `since: "waitStart"`) that the run has not taken and whose filter is true
   * (see `eventInboxRequests`). Absent in states written before the event inbox: the run's start.
   */
  readonly since?: string;
  /**
   * An entity wait (SPEC-dsl "Entity workflows": the trigger's event name, `correlationKey` equal to
   * `run.entityKey`): it takes the events of the entity's queue in sequence order, not by `since`.
   */
  readonly entity?: true;
  /** Informational: a StartTimer(reason "timeout") is emitted alongside. */
  readonly timeoutAt?: string;
}
/** Open a human task; feed HumanTaskCompleted. */
export interface AwaitHumanTaskCommand {
  readonly type: 'AwaitHumanTask';
  readonly taskId: string;
  readonly stepId: string;
  readonly taskType: string;
  readonly title: string;
  readonly formSchema?: JsonValue;
  readonly assignee?: string;
  /** Informational: a StartTimer(reason "timeout") is emitted alongside. */
  readonly timeoutAt?: string;
}
/** Close an event wait or a human task that ended by timeout or cancellation. */
export interface CancelWaitCommand {
  readonly type: 'CancelWait';
  /** The waitId of an AwaitEvent or the taskId of an AwaitHumanTask. */
  readonly waitId: string;
  readonly waitType: 'EVENT' | 'HUMAN_TASK';
  readonly reason: 'timeout' | 'canceled';
}
/** Start a child run on the same engine; feed ChildCompleted/ChildFailed. */
export interface StartChildCommand {
  readonly type: 'StartChild';
  /** Deterministic UUID (see `childRunIdFor`), valid as a run id on either engine. */
  readonly childRunId: string;
  readonly stepId: string;
  /** `${runId}:${stepId}:${iteration}:${attempt}` of the step attempt that starts the child (absent in states written before it was added) */
  readonly attemptId?: string;
  readonly workflow: string;
  readonly versionRange?: string;
  readonly input: JsonValue;
}
/** Cancel a child run whose parent was canceled. */
export interface CancelChildCommand {
  readonly type: 'CancelChild';
  readonly childRunId: string;
  readonly reason: string;
}
/** The run SUCCEEDED with this output. */
export interface CompleteCommand {
  readonly type: 'Complete';
  readonly output: JsonValue;
}
/** The run FAILED with this error. */
export interface FailCommand {
  readonly type: 'Fail';
  readonly error: WorkflowError;
}
/** The run is CANCELED. */
export interface CanceledCommand {
  readonly type: 'Canceled';
  readonly reason: string;
}
/**
 * Restart the run with fresh state: resolve the version (the pinned one, else the policy),
 * then feed `Start {input, generation}` with `state = undefined`.
 */
export interface ContinueAsNewCommand {
  readonly type: 'ContinueAsNew';
  readonly input: JsonValue;
  /** Set to the current version when the step pins it. */
  readonly pinVersion?: string;
  readonly generation: number;
}

/** Everything {@link Advance} may ask a driver to do. */
export type InterpreterCommand =
  | RunActionCommand
  | StartTimerCommand
  | CancelTimerCommand
  | AwaitEventCommand
  | AwaitHumanTaskCommand
  | CancelWaitCommand
  | StartChildCommand
  | CancelChildCommand
  | CompleteCommand
  | FailCommand
  | CanceledCommand
  | ContinueAsNewCommand;

/** Commands that stay outstanding until an input resolves them (see `pendingCommands`). */
export type PendingCommand = RunActionCommand | StartTimerCommand | AwaitEventCommand | AwaitHumanTaskCommand | StartChildCommand;

/** What one `advance` call produced. */
export interface AdvanceResult {
  /** The next state (unchanged, deep-equal, when `accepted` is false). */
  readonly state: InterpreterState;
  /** Effects to perform, in order. */
  readonly commands: readonly InterpreterCommand[];
  /** Step records created or changed by this input; persist them keyed by (stepId, iteration). */
  readonly steps: readonly StepRecord[];
  /** False when the input did not apply (stale id, filter false, invalid task response, finished run): keep waiting. */
  readonly accepted: boolean;
  readonly rejection?: WorkflowError;
}

/** Options of `advance`; limits are fixed at Start and carried in the state. */
export interface AdvanceOptions {
  /** Overrides of the default limits (read at Start only). */
  readonly limits?: Partial<InterpreterLimits>;
}

/** The interpreter entry point: pure and deterministic (same arguments => identical result). */
export type Advance = (
  definition: WorkflowDefinition,
  state: InterpreterState | undefined,
  input: InterpreterInput,
  options?: AdvanceOptions,
) => Promise<AdvanceResult>;

/** Outcome of a run so far, read from its state. */
export interface RunOutcome {
  readonly status: RunStatus;
  readonly output?: JsonValue;
  readonly error?: WorkflowError;
}
