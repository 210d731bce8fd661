import type { EngineKind, JsonValue, RunStatus, StepRecord, WorkflowError } from '@baton/event-schemas';
import type { ShadowLink } from '../shadow/shadow-link.js';
import type { WaitRecord } from './wait-index.js';

/** A run to create. */
export interface NewRun {
  readonly runId: string;
  readonly workflow: string;
  readonly version: string;
  readonly definitionHash: string;
  readonly engine: EngineKind;
  readonly status: RunStatus;
  readonly input: JsonValue;
  /** the caller's idempotency key; unique per (tenant, workflow) when not `null` */
  readonly executionKey: string | null;
  /** the key routing and weighted versions hashed: `executionKey`, else the run id */
  readonly runKey: string;
  readonly parentRunId?: string;
  readonly triggerEventId?: string;
  /** entity workflows: the entity key the run serves */
  readonly entityKey?: string;
  readonly createdAt: string;
  /** the run's place in a shadow pair; a `shadow` run is not listed by `list` */
  readonly shadow?: ShadowLink;
}

/** The projection of a run: for Postgres runs the record itself, for Temporal runs an index and audit trail. */
export interface RunRecord extends NewRun {
  readonly tenant: string;
  readonly output?: JsonValue;
  readonly error?: WorkflowError;
  /** the step the run is at, when known */
  readonly currentStepId?: string;
  readonly updatedAt: string;
  readonly completedAt?: string;
}

/** A change to a run projection; an absent field is left as it is, `null` clears it. */
export interface RunProjectionPatch {
  /** the version a run moved to at `control.continueAsNew` */
  readonly version?: string;
  readonly definitionHash?: string;
  readonly status?: RunStatus;
  readonly output?: JsonValue;
  readonly error?: WorkflowError | null;
  readonly currentStepId?: string | null;
  readonly completedAt?: string | null;
  readonly updatedAt: string;
}

/** A condition an update applies under (a compare-and-set on the status). */
export interface RunUpdateCondition {
  /** apply only when the current status is one of these */
  readonly statusIn?: readonly RunStatus[];
}

/** Filter and page of `RunStore.list`; newest runs first; shadow runs are never listed. */
export interface RunListQuery {
  readonly workflow?: string;
  readonly status?: RunStatus;
  readonly engine?: EngineKind;
  /** only runs created at or after this ISO time */
  readonly createdAfter?: string;
  /** only runs created before this ISO time */
  readonly createdBefore?: string;
  /** page size; the store may cap it */
  readonly limit: number;
  /** the `nextCursor` of the previous page */
  readonly cursor?: string;
}

/** One page of runs. */
export interface RunPage {
  readonly items: readonly RunRecord[];
  /** `null` on the last page */
  readonly nextCursor: string | null;
}

/** A run and its open waits, read together ({@link RunStore.getWithOpenWaits}). */
export interface RunWithOpenWaits {
  readonly run: RunRecord;
  /** its WAITING waits, oldest first: what `WaitIndex.listForRun(tenant, runId, { status: 'WAITING' })` answers */
  readonly openWaits: readonly WaitRecord[];
}

/** Storage of run projections and step records; every method is scoped to `tenant`. */
export interface RunStore {
  /**
   * Creates the run, or returns the existing one with `created: false` when the run id or
   * (tenant, workflow, executionKey) already exists; atomic under concurrent calls.
   */
  create(tenant: string, run: NewRun): Promise<{ readonly run: RunRecord; readonly created: boolean }>;
  get(tenant: string, runId: string): Promise<RunRecord | undefined>;
  /**
   * Optional: the run and its open waits in one read (the run view of `GET /v1/runs/:runId`, read
   * again on every change while a request waits for the run). A store without it is read with
   * `get` and the wait index's `listForRun`. `undefined` when the run does not exist.
   */
  getWithOpenWaits?(tenant: string, runId: string): Promise<RunWithOpenWaits | undefined>;
  list(tenant: string, query: RunListQuery): Promise<RunPage>;
  /** Applies the patch; `undefined` when the run does not exist or the condition does not hold. */
  update(tenant: string, runId: string, patch: RunProjectionPatch, condition?: RunUpdateCondition): Promise<RunRecord | undefined>;
  /**
   * Inserts or replaces step records by `key` (`<stepId>@<iteration>`, unique within a run). With
   * `condition.statusIn`, writes nothing unless the run's status is one of those, checked atomically
   * with the write (a run update waits for it), so a late write cannot land in a finished run.
   */
  upsertSteps(tenant: string, runId: string, steps: readonly StepRecord[], condition?: RunUpdateCondition): Promise<void>;
  /** Step records ordered by `(generation, seq)`. */
  listSteps(tenant: string, runId: string): Promise<readonly StepRecord[]>;
}
