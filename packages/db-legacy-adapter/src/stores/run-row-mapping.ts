import type { JsonValue, StepRecord, WorkflowError } from '@baton/event-schemas';
import { otherEngine, type NewRun, type RunRecord, type ShadowLink } from '@baton/runtime-core';
import type { NewWorkflowRun, WorkflowRunRow, WorkflowRunStepRow } from '../database/database-types.js';
import { json, toIso, toIsoOrUndefined } from '../database/timestamps.js';

/** The shadow link as the run row's columns (the peer's engine is always the other one). */
function shadowColumns(link: ShadowLink | undefined): { shadow_of?: string; shadow_run_id?: string } {
  if (!link) return {};
  return link.role === 'shadow' ? { shadow_of: link.primaryRunId } : { shadow_run_id: link.shadowRunId };
}

/** The `workflow_runs` row of a run the `RunStore` (or the entity store) creates. */
export function newRunRow(tenant: string, run: NewRun): NewWorkflowRun {
  return {
    run_id: run.runId,
    tenant_id: tenant,
    workflow_name: run.workflow,
    workflow_version: run.version,
    definition_hash: run.definitionHash,
    engine: run.engine,
    status: run.status,
    execution_key: run.executionKey,
    run_key: run.runKey,
    input: json(run.input),
    parent_run_id: run.parentRunId ?? null,
    trigger_event_id: run.triggerEventId ?? null,
    entity_key: run.entityKey ?? null,
    created_at: run.createdAt,
    updated_at: run.createdAt,
    ...shadowColumns(run.shadow),
  };
}

/** A `workflow_runs` row as the `RunStore` port's record (lease and state stay inside the engine). */
export function toRunRecord(row: WorkflowRunRow): RunRecord {
  const completedAt = toIsoOrUndefined(row.completed_at);
  return {
    tenant: row.tenant_id,
    runId: row.run_id,
    workflow: row.workflow_name,
    version: row.workflow_version,
    definitionHash: row.definition_hash,
    engine: row.engine,
    status: row.status,
    input: row.input as JsonValue,
    executionKey: row.execution_key,
    runKey: row.run_key,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    ...(row.parent_run_id !== null ? { parentRunId: row.parent_run_id } : {}),
    ...(row.trigger_event_id !== null ? { triggerEventId: row.trigger_event_id } : {}),
    ...(row.entity_key !== null && row.entity_key !== undefined ? { entityKey: row.entity_key } : {}),
    // A SUCCEEDED run always has an output; a JSON null output reads back as SQL NULL.
    ...(row.output !== null ? { output: row.output as JsonValue } : row.status === 'SUCCEEDED' ? { output: null } : {}),
    ...(row.error !== null ? { error: row.error as WorkflowError } : {}),
    ...(row.current_step_id !== null ? { currentStepId: row.current_step_id } : {}),
    ...(completedAt ? { completedAt } : {}),
    ...shadowLinkOf(row),
  };
}

/** The run's shadow link from its columns. */
export function shadowLinkOf(row: { readonly engine: 'db' | 'temporal'; readonly shadow_of: string | null; readonly shadow_run_id: string | null }): { shadow?: ShadowLink } {
  if (row.shadow_of !== null) return { shadow: { role: 'shadow', primaryRunId: row.shadow_of, primaryEngine: otherEngine(row.engine) } };
  if (row.shadow_run_id !== null) return { shadow: { role: 'primary', shadowRunId: row.shadow_run_id, shadowEngine: otherEngine(row.engine) } };
  return {};
}

/** A `workflow_run_steps` row as the interpreter's `StepRecord`. */
export function toStepRecord(row: WorkflowRunStepRow): StepRecord {
  const completedAt = toIsoOrUndefined(row.completed_at);
  return {
    key: `${row.step_id}@${row.iteration}`,
    stepId: row.step_id,
    stepType: row.step_type as StepRecord['stepType'],
    path: row.path,
    iteration: row.iteration,
    generation: row.generation,
    seq: row.seq,
    status: row.status,
    attempt: row.attempt,
    startedAt: toIso(row.started_at),
    ...(completedAt ? { completedAt } : {}),
    ...(row.output !== null ? { output: row.output as JsonValue } : {}),
    ...(row.error !== null ? { error: row.error as WorkflowError } : {}),
  };
}
