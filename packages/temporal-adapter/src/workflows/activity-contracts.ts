// What the workflow sends to the Baton activities and what they answer. Plain JSON types,
// shared by both sides of the boundary. Sandbox-safe (types only).
import type { JsonValue, RunWait, StepRecord, WorkflowDefinition } from '@baton/event-schemas';
import type {
  AdvanceOptions,
  AdvanceResult,
  EventInboxRequest,
  InboxEvent,
  InterpreterCommand,
  InterpreterInput,
  InterpreterState,
  NewHumanTask,
  RunProjectionPatch,
  RunActionCommand,
  ShadowLink,
} from '@baton/runtime-core';
import type { FoldedProjection } from './folded-projection.js';
import type { PatchOp } from './state-patch.js';

/** A wait that closed, and how. */
export interface ClosedWait {
  readonly waitId: string;
  readonly outcome: 'RESOLVED' | 'TIMED_OUT' | 'CANCELED';
  readonly at: string;
  /** The event id that resolved an EVENT wait: the run has taken that event. */
  readonly resolvedBy?: string;
}

/** A human task the run resolved (its completion, in case the task store has not recorded it). */
export interface ResolvedTask {
  readonly taskId: string;
  readonly response: JsonValue;
  readonly completedBy?: string;
  readonly at: string;
}

/** A task the run closed without a response. */
export interface ClosedTask {
  readonly taskId: string;
  readonly status: 'CANCELED' | 'TIMED_OUT';
  readonly at: string;
}

/**
 * Projection changes accumulated since the last write: step records, waits and tasks opened or
 * closed, and the run row. Applied in one activity (folded into the next action call when
 * there is one), so projections do not add activities of their own to the history.
 */
export interface ProjectionBatch {
  readonly tenant: string;
  readonly runId: string;
  readonly steps: readonly StepRecord[];
  readonly openedWaits: readonly RunWait[];
  readonly openedTasks: readonly Omit<NewHumanTask, 'runId' | 'engine'>[];
  readonly closedWaits: readonly ClosedWait[];
  readonly resolvedTasks: readonly ResolvedTask[];
  readonly closedTasks: readonly ClosedTask[];
  /** The run row after these changes (applied only while the row is not finished). */
  readonly run?: RunProjectionPatch;
  /**
   * Event waits that opened: after their rows are written (so an event recorded later is routed to
   * them), the event inbox is read for each (SPEC-dsl "Event inbox").
   */
  readonly inboxRequests?: readonly EventInboxRequest[];
}

/** What a projection write answers: the inbox events each opened event wait may take, earliest first. */
export interface ProjectionWriteResult {
  readonly inbox?: { readonly [waitId: string]: readonly InboxEvent[] };
}

/** Input of the action activity: one action attempt, plus the projection to write first. */
export interface RunActionRequest {
  readonly tenant: string;
  readonly runId: string;
  readonly command: RunActionCommand;
  /** The projection to write first, folded (`folded-projection.ts`: no tenant, run or empty list); older workers sent the full batch. */
  readonly projection?: FoldedProjection;
  /** a `primary` records the attempt's outcome for its shadow; a `shadow` is answered from its primary's record */
  readonly shadow?: ShadowLink;
}

/** Output of the action activity. */
export interface RunActionResponse {
  readonly output: JsonValue;
  /** `true` when the folded projection could not be written: the workflow writes it again. */
  readonly projectionFailed?: boolean;
}

/** Input of the definition activity: which definition a child or a continued run runs. */
export interface ResolveDefinitionRequest {
  readonly tenant: string;
  readonly workflow: string;
  /** The key weighted version policies hash. */
  readonly runKey: string;
  /** A semver range the version must satisfy (`control.callWorkflow` `version`). */
  readonly range?: string;
  /** Use exactly this version. */
  readonly pinVersion?: string;
  /** For a child: create its run row (idempotent by run id). */
  readonly child?: { readonly runId: string; readonly parentRunId: string; readonly input: JsonValue; readonly createdAt: string; readonly shadow?: ShadowLink };
}

/** Output of the definition activity. */
export interface ResolvedDefinition {
  readonly version: string;
  readonly hash: string;
  readonly definition: WorkflowDefinition;
}

/** Input of the interpreter activity (`localActivity` mode): one `advance` of a run. */
export interface AdvanceRequest {
  readonly tenant: string;
  readonly runId: string;
  /** The published definition the run runs; the activity reads it from the definition store (cached), so it is not in the payload. */
  readonly definition: { readonly workflow: string; readonly version: string; readonly hash: string };
  /** The state to advance (absent for Start); migrated to the interpreter's format first. */
  readonly state?: InterpreterState;
  readonly input: InterpreterInput;
  readonly options?: AdvanceOptions;
  /** The run's input sequence number: advances asked before this one in the generation. */
  readonly sequence: number;
}

/**
 * An advance result as interpreter activities answered it before answers were packed
 * (`advance-codec.ts`): the new state as a patch of the state it was given (`statePatch`), or whole
 * after a Start. Histories recorded then hold it; the workflow still reads it.
 */
export type CompactAdvanceResult = Omit<AdvanceResult, 'state' | 'commands'> & {
  /** Each command, or the path of an equal value in the new state (so it is not recorded twice). */
  readonly commands: readonly (InterpreterCommand | { readonly at: readonly (string | number)[] })[];
} & ({ readonly state: InterpreterState } | { readonly statePatch: readonly PatchOp[] });

/** What interpreter activities answered before answers were packed: the result, and the sequence number it answers. */
export interface AdvanceResponse {
  readonly sequence: number;
  readonly result: CompactAdvanceResult;
}

/** The activities the Baton workflow calls (implemented by `createBatonActivities`). */
export interface BatonActivities {
  /** Runs one action attempt (after writing the folded projection); failures are ApplicationFailures typed by category. */
  batonRunAction(request: RunActionRequest): Promise<RunActionResponse>;
  /** Writes a projection batch (idempotent), then reads the event inbox for the event waits it opened. */
  batonWriteProjection(batch: ProjectionBatch): Promise<ProjectionWriteResult | void>;
  /** Resolves a definition version (and creates a child's run row). */
  batonResolveDefinition(request: ResolveDefinitionRequest): Promise<ResolvedDefinition>;
  /**
   * Runs one `advance` (`localActivity` interpreter mode; a local activity). Answers the packed
   * `{sequence, result}` (`advance-codec.ts`); answers recorded before packing are {@link AdvanceResponse}s.
   */
  batonAdvance(request: AdvanceRequest): Promise<Uint8Array | AdvanceResponse>;
}
