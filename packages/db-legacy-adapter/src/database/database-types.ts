// kysely table interfaces, one per table of the migrations (migrations/0001-initial-schema.ts, 0002-event-inbox.ts), named after the table.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** A `jsonb` column: read as parsed JSON, written as a JSON string (node-postgres would turn arrays into PG arrays). */
export type JsonColumn<T = unknown> = ColumnType<T, string, string>;
/** A nullable `jsonb` column. */
export type NullableJsonColumn<T = unknown> = ColumnType<T | null, string | null | undefined, string | null>;
/** A `timestamptz` column with a default of `now()`. */
export type CreatedAtColumn = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable `timestamptz` column. */
export type NullableTimestampColumn = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** `workflow_definitions`: one row per (tenant, workflow name). */
export interface WorkflowDefinitionsTable {
  tenant_id: string;
  name: string;
  created_at: CreatedAtColumn;
}

/** `workflow_definition_versions`: a published, immutable (name, version) with its content hash. */
export interface WorkflowDefinitionVersionsTable {
  tenant_id: string;
  name: string;
  version: string;
  content_hash: string;
  definition: JsonColumn;
  trigger_event_name: string | null;
  published_at: CreatedAtColumn;
  /** migration 0015: when an operator retired the version (no new run gets it) */
  retired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** migration 0015: why it was retired */
  retired_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

/** `workflow_policies`: the version policy and engine policy of a workflow name. */
export interface WorkflowPoliciesTable {
  tenant_id: string;
  workflow_name: string;
  version_policy: NullableJsonColumn;
  engine_policy: NullableJsonColumn;
  shadow_policy: NullableJsonColumn;
  rollout_gate: NullableJsonColumn;
  rollback_policy: NullableJsonColumn;
  updated_at: CreatedAtColumn;
}

/** `workflow_policy_history` (0012): one row per accepted policy change. */
export interface WorkflowPolicyHistoryTable {
  id: Generated<string>;
  tenant_id: string;
  workflow_name: string;
  at: ColumnType<Date, Date | string, Date | string>;
  actor: string;
  from_policy: NullableJsonColumn;
  to_policy: JsonColumn;
  forced: ColumnType<boolean, boolean | undefined, boolean>;
  reason: string | null;
}

/** `shadow_comparisons` (0012): one row per shadowed primary run and its comparison with the shadow. */
export interface ShadowComparisonsTable {
  tenant_id: string;
  workflow_name: string;
  primary_run_id: string;
  shadow_run_id: string | null;
  primary_engine: 'db' | 'temporal';
  shadow_engine: 'db' | 'temporal';
  comparison: ColumnType<'PENDING' | 'MATCH' | 'DIFFERENT', 'PENDING' | 'MATCH' | 'DIFFERENT' | undefined, 'PENDING' | 'MATCH' | 'DIFFERENT'>;
  first_difference: NullableJsonColumn;
  primary_latency_ms: number | null;
  shadow_latency_ms: number | null;
  created_at: CreatedAtColumn;
  compared_at: NullableTimestampColumn;
}

/**
 * `workflow_runs`: for `engine = 'db'` the authority (state, lease, fencing token); for
 * `engine = 'temporal'` a projection written through the run store.
 */
export interface WorkflowRunsTable {
  run_id: string;
  tenant_id: string;
  workflow_name: string;
  workflow_version: string;
  engine: 'db' | 'temporal';
  status: 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';
  definition_hash: string;
  execution_key: string | null;
  run_key: string;
  input: JsonColumn;
  output: NullableJsonColumn;
  error: NullableJsonColumn;
  parent_run_id: string | null;
  parent_step_id: string | null;
  trigger_event_id: string | null;
  current_step_id: string | null;
  generation: Generated<number>;
  /** Interpreter state (db engine only). */
  state: NullableJsonColumn;
  /** When a worker should look at the run next; null when only an event, task or child can move it. */
  wake_at: NullableTimestampColumn;
  lease_owner: string | null;
  lease_expires_at: NullableTimestampColumn;
  fencing_token: ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
  cancel_reason: string | null;
  /** Entity workflows (migration 0014): the entity key the run serves. */
  entity_key: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAtColumn;
  updated_at: CreatedAtColumn;
  completed_at: NullableTimestampColumn;
  /** on a shadow run: its primary's run id (shadows are never listed) */
  shadow_of: ColumnType<string | null, string | null | undefined, string | null>;
  /** on a primary run: its shadow's run id */
  shadow_run_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** `id@version` of the action a parked Postgres run waits for (migration 0004; written by the engine only) */
  needs_action: ColumnType<string | null, string | null | undefined, string | null>;
  /** when the run was first parked on `needs_action` */
  needs_action_since: NullableTimestampColumn;
  /** when the parked step fails ACTION_UNAVAILABLE if no live worker provides the action */
  needs_action_deadline: NullableTimestampColumn;
}

/** `action_catalog` (migration 0004): what each live worker provides, per engine, until `expires_at`. */
export interface ActionCatalogTable {
  worker_id: string;
  engine: 'db' | 'temporal';
  action: string;
  action_version: number;
  description: string | null;
  input_schema: JsonColumn;
  output_schema: JsonColumn;
  registered_at: CreatedAtColumn;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

/** `shadow_invocations`: a shadowed primary's action outcomes, by `${stepId}:${iteration}:${attempt}`. */
export interface ShadowInvocationsTable {
  tenant_id: string;
  primary_run_id: string;
  invocation_key: string;
  ok: boolean;
  output: NullableJsonColumn;
  error: NullableJsonColumn;
  recorded_at: CreatedAtColumn;
}

/** `workflow_run_steps`: one row per executed (step, iteration) of a run. */
export interface WorkflowRunStepsTable {
  tenant_id: string;
  run_id: string;
  step_id: string;
  iteration: string;
  generation: number;
  seq: number;
  path: string;
  step_type: string;
  status: 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';
  attempt: number;
  started_at: ColumnType<Date, Date | string, Date | string>;
  completed_at: NullableTimestampColumn;
  output: NullableJsonColumn;
  error: NullableJsonColumn;
  /** Fencing token of the commit that last wrote the row (0 for projections). */
  fencing_token: ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
  updated_at: CreatedAtColumn;
}

/** `workflow_run_waits`: open and closed waits (event, human task, timer, child) used for routing and timers. */
export interface WorkflowRunWaitsTable {
  tenant_id: string;
  run_id: string;
  wait_id: string;
  engine: 'db' | 'temporal';
  wait_type: 'EVENT' | 'HUMAN_TASK' | 'TIMER' | 'CHILD_WORKFLOW';
  step_id: string;
  event_name: string | null;
  correlation_key: string | null;
  /** TIMER: when it fires; EVENT/HUMAN_TASK: when it times out. */
  due_at: NullableTimestampColumn;
  status: 'WAITING' | 'RESOLVED' | 'CANCELED' | 'TIMED_OUT';
  detail: NullableJsonColumn;
  resolved_by: string | null;
  created_at: CreatedAtColumn;
  resolved_at: NullableTimestampColumn;
}

/** `workflow_runtime_events`: the audit of received events, unique per (tenant, event id). */
export interface WorkflowRuntimeEventsTable {
  tenant_id: string;
  event_id: string;
  event_name: string;
  /** The key the envelope carried, as sent. */
  envelope_correlation_key: string | null;
  payload: JsonColumn;
  occurred_at: NullableTimestampColumn;
  received_at: CreatedAtColumn;
  status: 'RECEIVED' | 'PROCESSED' | 'FAILED';
  deliveries: Generated<number>;
  /** The resolved key routing used. */
  correlation_key: string | null;
  correlation_source: 'explicit' | 'derived' | 'missing' | null;
  routed_runs: NullableJsonColumn;
  started_runs: NullableJsonColumn;
  errors: NullableJsonColumn;
  processed_at: NullableTimestampColumn;
}

/** `workflow_entities` (migration 0014): the claim row of an entity of an entity workflow. */
export interface WorkflowEntitiesTable {
  tenant_id: string;
  workflow_name: string;
  entity_key: string;
  run_id: string | null;
  last_sequence: ColumnType<string, string | number | undefined, string | number>;
  created_at: CreatedAtColumn;
  updated_at: CreatedAtColumn;
}

/** `workflow_entity_events` (migration 0014): an entity's queue of admitted events. */
export interface WorkflowEntityEventsTable {
  tenant_id: string;
  workflow_name: string;
  entity_key: string;
  sequence: ColumnType<string, string | number, string | number>;
  event_id: string;
  event_name: string;
  payload: JsonColumn;
  received_at: ColumnType<Date, Date | string, Date | string>;
  run_id: string | null;
  role: 'START' | 'QUEUED' | 'REJECTED';
  error: NullableJsonColumn;
}

/** `workflow_event_inbox` (migration 0002): accepted events with a correlation key, kept for the retention period. */
export interface WorkflowEventInboxTable {
  tenant_id: string;
  event_id: string;
  event_name: string;
  correlation_key: string;
  received_at: ColumnType<Date, Date | string, Date | string>;
}

/** `workflow_action_invocations`: action results by idempotency key, reused instead of running again. */
export interface WorkflowActionInvocationsTable {
  tenant_id: string;
  idempotency_key: string;
  run_id: string;
  step_id: string;
  action: string;
  action_version: number;
  attempt: number;
  status: 'COMPLETED' | 'FAILED';
  output: NullableJsonColumn;
  error: NullableJsonColumn;
  created_at: CreatedAtColumn;
  completed_at: CreatedAtColumn;
}

/** `workflow_human_tasks`: tasks opened by `human.task` steps. */
export interface WorkflowHumanTasksTable {
  tenant_id: string;
  task_id: string;
  run_id: string;
  engine: 'db' | 'temporal';
  step_id: string;
  task_type: string;
  title: string;
  form_schema: NullableJsonColumn;
  assignee: string | null;
  status: 'OPEN' | 'COMPLETED' | 'CANCELED';
  close_reason: 'CANCELED' | 'TIMED_OUT' | null;
  response: NullableJsonColumn;
  completed_by: string | null;
  due_at: NullableTimestampColumn;
  created_at: CreatedAtColumn;
  completed_at: NullableTimestampColumn;
  /** the completion's hand-off to the engine (migration 0003); null: none recorded */
  handoff: 'PENDING' | 'DELIVERED' | 'REFUSED' | null;
  handoff_due_at: NullableTimestampColumn;
  handoff_attempts: Generated<number>;
  handoff_error: string | null;
}

/** `baton_migrations`: names of the applied migrations. */
export interface BatonMigrationsTable {
  name: string;
  applied_at: CreatedAtColumn;
}

/** The whole schema, as kysely sees it. */
export interface Database {
  workflow_definitions: WorkflowDefinitionsTable;
  workflow_definition_versions: WorkflowDefinitionVersionsTable;
  workflow_policies: WorkflowPoliciesTable;
  workflow_policy_history: WorkflowPolicyHistoryTable;
  shadow_comparisons: ShadowComparisonsTable;
  workflow_runs: WorkflowRunsTable;
  action_catalog: ActionCatalogTable;
  workflow_run_steps: WorkflowRunStepsTable;
  workflow_run_waits: WorkflowRunWaitsTable;
  workflow_runtime_events: WorkflowRuntimeEventsTable;
  workflow_event_inbox: WorkflowEventInboxTable;
  workflow_entities: WorkflowEntitiesTable;
  workflow_entity_events: WorkflowEntityEventsTable;
  workflow_action_invocations: WorkflowActionInvocationsTable;
  workflow_human_tasks: WorkflowHumanTasksTable;
  baton_migrations: BatonMigrationsTable;
  shadow_invocations: ShadowInvocationsTable;
}

export type WorkflowRunRow = Selectable<WorkflowRunsTable>;
export type NewWorkflowRun = Insertable<WorkflowRunsTable>;
export type WorkflowRunStepRow = Selectable<WorkflowRunStepsTable>;
export type WorkflowRunWaitRow = Selectable<WorkflowRunWaitsTable>;
export type WorkflowHumanTaskRow = Selectable<WorkflowHumanTasksTable>;
