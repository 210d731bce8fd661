import type { EngineKind, RunStatus, WorkflowError } from '@baton/event-schemas';
import type { InboxEvent } from './event-inbox.js';
import type { NewRun, RunRecord } from './run-store.js';

/** An event of an entity's queue: an inbox event whose correlation key is the entity key, with its sequence number. */
export interface EntityEvent extends InboxEvent {
  readonly sequence: number;
}

/** An event admitted to an entity (SPEC-dsl "Entity workflows"). */
export interface EntityAdmission {
  readonly workflow: string;
  readonly entityKey: string;
  /** The event, its `correlationKey` set to the entity key. */
  readonly event: InboxEvent;
}

/**
 * Builds the run an event starts (called by `admit` while it holds the entity): the run to create,
 * or the error that refuses this event as a start event (it is then recorded as rejected, never taken).
 */
export type EntityRunBuilder = (startEvent: EntityEvent) => Promise<{ readonly run: NewRun } | { readonly rejected: WorkflowError }>;

/** What `admit` did with an event. */
export interface EntityAdmissionResult {
  /** The sequence number the event got (the first admission's on a duplicate). */
  readonly sequence: number;
  /** The event id was admitted to this entity before: nothing was added or started. */
  readonly duplicate: boolean;
  /** The entity's live run after the admission (`undefined` when none could be started). */
  readonly run?: RunRecord;
  /** True when this admission created `run` (hand it to its engine). */
  readonly started: boolean;
  /** The event that started `run` when `started` (the earliest untaken event of the entity). */
  readonly startEvent?: EntityEvent;
  /** Start events the builder refused (earliest first), with why. */
  readonly rejected: readonly { readonly event: EntityEvent; readonly error: WorkflowError }[];
}

/** The state of an entity as the entity store knows it. */
export interface EntityRecord {
  readonly tenant: string;
  readonly workflow: string;
  readonly entityKey: string;
  /** The entity's live run, or its last one. */
  readonly runId: string;
  readonly engine: EngineKind;
  readonly status: RunStatus;
  /** The sequence number of the last event a run of the entity took (its start event counts); 0 when none. */
  readonly sequence: number;
  /** Events admitted and not taken yet (queued for the live run, or left by the last one). */
  readonly pending: number;
}

/**
 * The entities of entity workflows: per (tenant, workflow, entity key) the live run (the claim) and
 * the queue of admitted events with their sequence numbers. Scoped to `tenant`.
 */
export interface EntityStore {
  /**
   * Admits an event to an entity, atomically with respect to every other admission of that entity:
   * a duplicate event id gets its first sequence number and changes nothing; otherwise the event gets
   * the next sequence number and is queued for the live run (a run whose status is `RUNNING` or
   * `WAITING`). When no run is live, the earliest untaken event of the entity (events the last run
   * did not take come first, then this one) starts one: `build` gives the run, which is created in the
   * same transaction (so two admissions never both start a run).
   */
  admit(tenant: string, admission: EntityAdmission, build: EntityRunBuilder): Promise<EntityAdmissionResult>;
  /** The earliest queued event of `runId` it has not taken yet (for `eventName`), or `undefined`. */
  nextEvent(tenant: string, runId: string, eventName: string): Promise<EntityEvent | undefined>;
  /**
   * The queued events of `runId` it has not taken (that name and key), in sequence order: an entity
   * wait's inbox. An event taken by the reading wait `waitId` itself is still offered to it (a retried
   * Temporal workflow task opens the same wait again after its first attempt's projection took it).
   */
  candidates(
    tenant: string,
    query: { readonly runId: string; readonly waitId?: string; readonly eventName: string; readonly entityKey: string; readonly limit: number },
  ): Promise<readonly EntityEvent[]>;
  /** An entity, or `undefined` when no event was ever admitted to it. */
  get(tenant: string, workflow: string, entityKey: string): Promise<EntityRecord | undefined>;
}
