import type { EngineKind, JsonObject, JsonValue, RoutedEvent, UpgradeBlockReason, UpgradeClass, WorkflowDefinition } from '@baton/event-schemas';
import type { EngineCapabilities } from './engine-capabilities.js';
import type { RunRef } from './run-ref.js';
import type { ShadowLink } from '../shadow/shadow-link.js';

/** What an engine needs to start a run; the run's projection row already exists in the `RunStore` (except for `createAndStart`, which writes it). */
export interface StartRunRequest {
  readonly tenant: string;
  readonly runId: string;
  readonly workflow: { readonly name: string; readonly version: string; readonly hash: string };
  /** the pinned definition document of `workflow.version` */
  readonly definition: WorkflowDefinition;
  readonly input: JsonValue;
  /** the caller's idempotency key of the start, `null` when none was given */
  readonly executionKey: string | null;
  /** the key weighted version policies and routing hashed (`executionKey`, else the run id) */
  readonly runKey: string;
  /** ISO-8601 time the run was created (its logical start) */
  readonly startedAt: string;
  /** the run that started this one through `control.callWorkflow` */
  readonly parentRunId?: string;
  /** the event that triggered this run, for event-triggered workflows */
  readonly triggerEventId?: string;
  /**
   * The run's place in a shadow pair: a `primary` records its action outcomes for its shadow; a
   * `shadow` answers its action calls from them, starts shadow children and opens no visible task.
   */
  readonly shadow?: ShadowLink;
  /** entity workflows: the entity key the run serves (`run.entityKey` in expressions) */
  readonly entityKey?: string;
}

/** What {@link WorkflowEngine.createAndStart} answers. */
export interface CreatedStart {
  /** `req.runId` when `created`; else the id of the run of the tenant that already had that id or `(workflow, executionKey)` */
  readonly runId: string;
  /** whether this call wrote the run; `false` leaves an existing run as `start` of it would */
  readonly created: boolean;
}

/** A validated completion of a human task. */
export interface HumanTaskCompletion {
  /** the task id, which is also the id of the run's `HUMAN_TASK` wait */
  readonly taskId: string;
  /** the response; it already satisfies the task's form schema */
  readonly response: JsonValue;
  readonly completedAt: string;
  readonly completedBy?: string;
}

/** What an operator's resume of the current wait carries. */
export interface ResumeRequest {
  readonly reason: string;
  /** the value the wait resolves with (the event or task response stand-in) */
  readonly response?: JsonValue;
}

/** Options of {@link WorkflowEngine.cancel}. */
export interface CancelOptions {
  /** How long an engine whose runs cancel asynchronously (Temporal) waits for the run to settle. @default 10000 */
  readonly settleMs?: number;
}

/**
 * How a cancel ended, from the engine's authority: `canceled` (the run is CANCELED), `finished` (it
 * completed or failed before the cancel applied: `status` says how), `requested` (the engine accepted the
 * cancel but the run had not settled within `settleMs`; its projection follows the run). An engine that
 * applies a cancel synchronously (Postgres) answers nothing: its own commit is the outcome.
 */
export type CancelOutcome =
  | { readonly settled: 'canceled' }
  | { readonly settled: 'finished'; readonly status: 'SUCCEEDED' | 'FAILED' }
  | { readonly settled: 'requested' };

/** A published version a run moves between (`WorkflowEngine.upgradeRun`). */
export interface UpgradeVersion {
  readonly version: string;
  readonly hash: string;
  readonly definition: WorkflowDefinition;
}

/** What {@link WorkflowEngine.upgradeRun} is asked: move the run from `from` to `to`, recorded as `audit` says. */
export interface RunUpgradeRequest {
  readonly from: UpgradeVersion;
  readonly to: UpgradeVersion;
  /** who applied it (the API key name) and when: the audit record's fields */
  readonly audit: { readonly actor: string; readonly at: string };
}

/**
 * How an engine's move of one run ended: moved, or skipped with the class and reason runtime-core's
 * `planRunUpgrade` gave under the run's lock. `audited`: the engine wrote the audit record itself (the
 * Postgres engine, in the transaction of the move); otherwise the run service records it.
 */
export type RunUpgradeOutcome =
  | { readonly moved: true; readonly audited: boolean }
  | { readonly moved: false; readonly audited: boolean; readonly class: UpgradeClass; readonly reason: UpgradeBlockReason; readonly stepPath?: string };

/**
 * An engine: the only thing that may advance the runs it owns (ARCHITECTURE.md "Engine interface").
 * Every operation is idempotent for the same input (same run id, event id, task id) and calls
 * `assertEngineAuthority` before touching anything. `retry` and `resume` exist exactly when the
 * matching capability flag is true.
 */
export interface WorkflowEngine<K extends EngineKind> {
  readonly kind: K;
  readonly capabilities: EngineCapabilities;
  /** Starts the run; starting an existing run id again is a no-op returning the same ref. */
  start(req: StartRunRequest): Promise<RunRef<K>>;
  /**
   * Stores the run (its `RunStore` row, `RUNNING`) and starts it in one commit; idempotent by run id
   * and by `(tenant, workflow, executionKey)`. An existing run, on whichever engine, is answered
   * `created: false` with its id. Present iff `capabilities.storesRunOnStart`.
   */
  createAndStart?(req: StartRunRequest): Promise<CreatedStart>;
  /**
   * Delivers an event to a run that has an open `EVENT` wait for its name and correlation key
   * (Temporal: signal; Postgres: conditional resolve); the engine applies each wait's filter.
   * Delivering the same event id twice resumes nothing twice.
   */
  deliverEvent(run: RunRef<K>, event: RoutedEvent): Promise<void>;
  /** Hands a human-task response to the run; idempotent by task id. */
  completeHumanTask(run: RunRef<K>, task: HumanTaskCompletion): Promise<void>;
  /** Cancels the run; throws (changing nothing) when the engine refuses. See {@link CancelOutcome}. */
  cancel(run: RunRef<K>, reason: string, options?: CancelOptions): Promise<CancelOutcome | void>;
  /** Re-runs a FAILED run from its failed step (attempts continue); present iff `capabilities.retryFailedRun`. */
  retry?(run: RunRef<K>, reason: string): Promise<void>;
  /** Resolves the run's current wait by operator decision; present iff `capabilities.adminResume`. */
  resume?(run: RunRef<K>, request: ResumeRequest): Promise<void>;
  /** The run's variables (`vars`) as its engine holds them now (`GET /v1/entities/...` shows them); `undefined` when it has none yet. */
  readVariables?(run: RunRef<K>): Promise<JsonObject | undefined>;
  /**
   * Moves the run to another version of its definition at its current wait, with the same variables
   * (runtime-core `planRunUpgrade` decides under the run's lock, so a run that moved on since it was
   * planned, or moved already, is skipped). Absent: the engine cannot move runs.
   */
  upgradeRun?(run: RunRef<K>, request: RunUpgradeRequest): Promise<RunUpgradeOutcome>;
}

/** The engines a runtime is wired with; an absent one answers `ENGINE_UNAVAILABLE`. */
export interface EngineSet {
  readonly db?: WorkflowEngine<'db'>;
  readonly temporal?: WorkflowEngine<'temporal'>;
}
