import type { JsonValue, RoutedEvent, RunStatus, RunWait, StepRecord, WorkflowDefinition, WorkflowError, WorkflowEvent } from '@baton/event-schemas';

/** What the runner reads of a run. */
export interface HarnessRunView {
  readonly status: RunStatus;
  readonly output?: JsonValue;
  readonly error?: WorkflowError;
  /** open waits (RunWait: EVENT waits carry `correlationKey`, HUMAN_TASK waits have `waitId` = task id) */
  readonly waits: readonly RunWait[];
}

/**
 * Adapts one engine to the conformance kit through its public API, so the same scenarios run
 * on the in-memory reference driver, the Postgres engine and the Temporal engine.
 *
 * Requirements: the engine has the kit actions (`conformanceActions`) and the built-ins
 * registered; a run of a definition, its child runs and continue-as-new all use the engine's
 * normal paths; `start` does not validate the input itself (the interpreter does).
 */
export interface ConformanceHarness {
  /** shown in reports */
  readonly name: string;
  /** True when time is simulated: exact logical durations are then checked. @default false */
  readonly logicalClock?: boolean;
  /** Makes definitions (a scenario's and its children's) startable; publishing the same content again is a no-op. */
  publish(definitions: readonly WorkflowDefinition[]): Promise<void>;
  /** Starts a run of `workflow@version`; resolves to its run id. */
  start(request: { readonly tenant: string; readonly workflow: string; readonly version: string; readonly input: JsonValue }): Promise<string>;
  /** The run's status, output, error and open waits. */
  getRun(runId: string): Promise<HarnessRunView>;
  /** The run's step records (latest version of each key, every generation). */
  getSteps(runId: string): Promise<readonly StepRecord[]>;
  /** Delivers an event to the run (as `engine.deliverEvent` does after routing). */
  deliverEvent(runId: string, event: RoutedEvent): Promise<void>;
  /**
   * Sends an event through the event ingress, as `POST /v1/events` does: deduplicated by (tenant,
   * eventId), kept in the event inbox under its correlation key, routed to the waits open now.
   * Answers whether it was a duplicate, to how many runs it was routed and (entity scenarios need it)
   * the ids of the runs it started. Scenarios with a
   * `sendEvent` script action need it (they fail on a harness without it).
   */
  sendEvent?(tenant: string, event: WorkflowEvent): Promise<{ readonly duplicate: boolean; readonly routed: number; readonly startedRuns?: readonly string[] }>;
  /** Completes a human task; a response refused by the form schema resolves `{accepted: false, error}`. */
  completeTask(runId: string, taskId: string, response: JsonValue, completedBy?: string): Promise<{ readonly accepted: boolean; readonly error?: WorkflowError }>;
  /** Cancels the run. */
  cancel(runId: string, reason: string): Promise<void>;
  /** Lets work progress between polls: real engines sleep briefly; a logical clock runs due work and advances time when idle. */
  tick(): Promise<void>;
}
