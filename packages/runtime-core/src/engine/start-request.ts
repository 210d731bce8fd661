import type { PublishedDefinition } from '../ports/definition-store.js';
import type { RunRecord } from '../ports/run-store.js';
import type { StartRunRequest } from './workflow-engine.js';

/**
 * The engine start request of a stored run and its published definition: what the run service
 * hands to the engine, and what a reconciler hands again for a run whose start outcome was unknown
 * (engines are idempotent by run id).
 */
export function startRequestForRun(run: RunRecord, definition: PublishedDefinition): StartRunRequest {
  return {
    tenant: run.tenant,
    runId: run.runId,
    workflow: { name: run.workflow, version: run.version, hash: definition.hash },
    definition: definition.definition,
    input: run.input,
    executionKey: run.executionKey,
    runKey: run.runKey,
    startedAt: run.createdAt,
    ...(run.parentRunId === undefined ? {} : { parentRunId: run.parentRunId }),
    ...(run.triggerEventId === undefined ? {} : { triggerEventId: run.triggerEventId }),
    ...(run.shadow === undefined ? {} : { shadow: run.shadow }),
    ...(run.entityKey === undefined ? {} : { entityKey: run.entityKey }),
  };
}
