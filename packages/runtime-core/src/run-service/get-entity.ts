import type { EntityView, JsonValue } from '@baton/event-schemas';
import { BatonError, isBatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import type { EntityRecord } from '../ports/entity-store.js';
import { withRunEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';

/** Reads of the record around the state before the view gives up waiting for a quiet moment. */
const MAX_READS = 5;

const notFound = (workflow: string, entityKey: string) =>
  new BatonError(ErrorCode.ENTITY_NOT_FOUND, `entity "${entityKey}" of workflow '${workflow}' not found`, { details: { workflow, entityKey } });

/** Whether two reads of an entity's record describe the same moment (same run, same events taken and queued). */
const sameRecord = (a: EntityRecord, b: EntityRecord) =>
  a.runId === b.runId && a.engine === b.engine && a.status === b.status && a.sequence === b.sequence && a.pending === b.pending;

async function readState(ctx: RuntimeContext, record: EntityRecord): Promise<JsonValue> {
  try {
    return (await withRunEngine(ctx.engines, record, (engine, ref) => (engine.readVariables ? engine.readVariables(ref) : Promise.resolve(undefined)))) ?? null;
  } catch (err) {
    if (isBatonError(err)) throw err;
    throw new BatonError(ErrorCode.ENGINE_UNAVAILABLE, `the '${record.engine}' engine did not answer the state of run ${record.runId}: ${(err as Error)?.message ?? String(err)}`, {
      details: { engine: record.engine, runId: record.runId },
      cause: err,
    });
  }
}

/**
 * `GET /v1/entities/:workflow/:entityKey`: the entity's live run (or its last one), the sequence
 * number of the last event its runs took, and the run's variables as its engine holds them.
 * `ENTITY_NOT_FOUND` for an entity no event was admitted to (or another tenant's).
 *
 * The record (sequence, pending, status) and the state come from different reads, and an event
 * taken between them would show a state ahead of its sequence. So the record is read again after
 * the state, and the view is answered once both reads of the record agree: the state then belongs
 * to that record. While events keep arriving this is tried {@link MAX_READS} times, then the last
 * reads are answered.
 */
export async function getEntity(ctx: RuntimeContext, tenant: string, workflow: string, entityKey: string): Promise<EntityView> {
  const read = async () => (ctx.entities ? await ctx.entities.get(tenant, workflow, entityKey) : undefined);
  let record = await read();
  for (let reads = 1; ; reads++) {
    if (!record) throw notFound(workflow, entityKey);
    const state = await readState(ctx, record);
    const again = await read();
    if (!again || sameRecord(record, again) || reads >= MAX_READS) {
      const settled = again ?? record;
      return { runId: settled.runId, engine: settled.engine, status: settled.status, sequence: settled.sequence, pending: settled.pending, state };
    }
    record = again;
  }
}
