import type { EntityView, JsonValue } from '@baton/event-schemas';
import { BatonError, isBatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { withRunEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';

/**
 * `GET /v1/entities/:workflow/:entityKey`: the entity's live run (or its last one), the sequence
 * number of the last event its runs took, and the run's variables as its engine holds them.
 * `ENTITY_NOT_FOUND` for an entity no event was admitted to (or another tenant's).
 */
export async function getEntity(ctx: RuntimeContext, tenant: string, workflow: string, entityKey: string): Promise<EntityView> {
  const record = ctx.entities ? await ctx.entities.get(tenant, workflow, entityKey) : undefined;
  if (!record) {
    throw new BatonError(ErrorCode.ENTITY_NOT_FOUND, `entity "${entityKey}" of workflow '${workflow}' not found`, { details: { workflow, entityKey } });
  }
  let state: JsonValue = null;
  try {
    state = (await withRunEngine(ctx.engines, record, (engine, ref) => (engine.readVariables ? engine.readVariables(ref) : Promise.resolve(undefined)))) ?? null;
  } catch (err) {
    if (isBatonError(err)) throw err;
    throw new BatonError(ErrorCode.ENGINE_UNAVAILABLE, `the '${record.engine}' engine did not answer the state of run ${record.runId}: ${(err as Error)?.message ?? String(err)}`, {
      details: { engine: record.engine, runId: record.runId },
      cause: err,
    });
  }
  return { runId: record.runId, engine: record.engine, status: record.status, sequence: record.sequence, pending: record.pending, state };
}
