// SPEC-dsl "Entity workflows": an event matching an entity trigger is admitted to its entity (one
// transaction in the entity store: the next sequence number, and a run started only when none is
// live), then the live run is nudged: when it has an open wait for the entity and this event is the
// earliest of its queue it has not taken, the event is handed to it. Handing over only the earliest
// keeps the arrival order under concurrency; every other event is taken from the queue when a wait
// opens (the event inbox's commit-then-read rule), so no event is left behind.
import type { EntityDelivery, EventTrigger, JsonObject, JsonValue, RoutedRun, StartedRun, WorkflowError } from '@baton/event-schemas';
import { isTerminalRunStatus } from '@baton/event-schemas';
import { compileExpression, isExpressionError } from '@baton/expression-engine';
import { BatonError, isBatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import type { PublishedDefinition } from '../ports/definition-store.js';
import type { EntityEvent, EntityStore } from '../ports/entity-store.js';
import type { RunRecord } from '../ports/run-store.js';
import { withRunEngine } from './engine-binding.js';
import type { AcceptedEvent } from './route-event-batch.js';
import type { RuntimeContext } from './runtime-context.js';
import { prepareRun, startOnEngine, type PreparedRun } from './start-run.js';
import { resolveTriggerInput } from './trigger-input.js';

/** What an entity trigger did with one event. */
export interface EntityRouting {
  readonly entity: EntityDelivery;
  readonly startedRun?: StartedRun;
  readonly routed?: RoutedRun;
  /** Start events the trigger's input or the workflow's inputSchema refused (they are never taken). */
  readonly rejected: readonly WorkflowError[];
}

/** The entity key an entity trigger gives an event: a non-empty string, or a finite number as a string. */
export async function evaluateEntityKey(workflow: string, trigger: EventTrigger & { entityKey: { $expr: string } }, event: AcceptedEvent): Promise<string> {
  const context: JsonObject = {
    event: { eventId: event.event.eventId, eventName: event.event.eventName, correlationKey: event.event.correlationKey ?? null, payload: event.event.payload },
  };
  let value: JsonValue;
  try {
    value = await compileExpression(trigger.entityKey.$expr, { undefinedAsNull: true }).evaluate(context, { now: event.receivedAt });
  } catch (err) {
    if (!isExpressionError(err)) throw err;
    throw new BatonError(ErrorCode.ENTITY_KEY_INVALID, `entityKey of ${workflow}: ${(err as Error).message}`, { details: { workflow } });
  }
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new BatonError(
    ErrorCode.ENTITY_KEY_INVALID,
    `entityKey of ${workflow} must evaluate to a non-empty string or a finite number, got ${value === null ? 'null' : typeof value}`,
    { details: { workflow } },
  );
}

function requireEntities(ctx: RuntimeContext): EntityStore {
  if (!ctx.entities) throw new BatonError(ErrorCode.ENTITIES_UNSUPPORTED, 'this runtime has no entity store: entity workflows cannot run');
  return ctx.entities;
}

function rejectionOf(err: unknown): WorkflowError | undefined {
  if (isExpressionError(err)) return { category: 'ExpressionError', code: ErrorCode.TRIGGER_INPUT_FAILED, message: `trigger input: ${(err as Error).message}` };
  if (isBatonError(err, ErrorCode.VALIDATION_ERROR)) return { category: 'ValidationError', code: err.code, message: err.message };
  return undefined;
}

/**
 * Hands the event to the live run when the run has an open wait for the entity and the event is the
 * earliest of the queue the run has not taken. Otherwise nothing is needed: an earlier event is
 * handed over by its own admission or taken by the wait's inbox read (the wait reads its queue after
 * it was committed; this admission committed before it looked for the wait), and the run takes each
 * later event from its queue when its next wait opens.
 */
async function nudge(ctx: RuntimeContext, entities: EntityStore, tenant: string, run: RunRecord, eventId: string, eventName: string, entityKey: string): Promise<void> {
  const waits = await ctx.waits.listForRun(tenant, run.runId, { status: 'WAITING' });
  if (!waits.some((w) => w.type === 'EVENT' && w.eventName === eventName && w.correlationKey === entityKey)) return;
  const next = await entities.nextEvent(tenant, run.runId, eventName);
  if (next?.eventId !== eventId) return;
  await withRunEngine(ctx.engines, run, (engine, ref) => engine.deliverEvent(ref, next));
}

/**
 * Admits one event to the entity of an entity workflow and starts or nudges the entity's live run.
 * Throws the errors a redelivery may fix (engine, store); refusals of a start event (its trigger input
 * or the input schema) are answered in `rejected`.
 */
export async function routeEntityEvent(
  ctx: RuntimeContext,
  tenant: string,
  accepted: AcceptedEvent,
  published: PublishedDefinition & { definition: { trigger: EventTrigger & { entityKey: { $expr: string } } } },
): Promise<EntityRouting> {
  const entities = requireEntities(ctx);
  const { event, receivedAt } = accepted;
  const workflow = published.name;
  const trigger = published.definition.trigger;
  const entityKey = await evaluateEntityKey(workflow, trigger, accepted);
  const prepared = new Map<string, PreparedRun>();

  const build = async (startEvent: EntityEvent) => {
    try {
      // The run's events (the start event included) carry the entity key as their correlation key.
      // No execution key: the entity's event queue makes the start idempotent, and a key derived from
      // the event id could collide with one a client chose for its own run of the workflow.
      const input = await resolveTriggerInput(trigger.input, startEvent, new Date(startEvent.receivedAt));
      const ready = await prepareRun(
        ctx,
        tenant,
        { workflow, version: published.version, input },
        { triggerEventId: startEvent.eventId, entityKey },
      );
      prepared.set(startEvent.eventId, ready);
      return { run: ready.run };
    } catch (err) {
      const rejected = rejectionOf(err);
      if (rejected) return { rejected };
      throw err;
    }
  };
  const admitted = await entities.admit(
    tenant,
    {
      workflow,
      entityKey,
      event: { eventId: event.eventId, eventName: event.eventName, correlationKey: entityKey, payload: event.payload, receivedAt: receivedAt.toISOString() },
    },
    build,
  );

  const run = admitted.run;
  const entity: EntityDelivery = { workflow, entityKey, sequence: admitted.sequence, started: admitted.started, ...(run ? { runId: run.runId } : {}) };
  const rejected = admitted.rejected.map((r) => r.error);
  if (!run) return { entity, rejected };
  if (admitted.started) {
    await startOnEngine(ctx, run, admitted.startEvent ? prepared.get(admitted.startEvent.eventId)?.published : undefined);
    return {
      entity,
      rejected,
      startedRun: { runId: run.runId, workflow: run.workflow, version: run.version, engine: run.engine, created: true },
    };
  }
  // A redelivered start event whose first routing crashed before the engine had the run: hand it again.
  if (admitted.duplicate && run.triggerEventId === event.eventId && !isTerminalRunStatus(run.status)) await startOnEngine(ctx, run);
  else await nudge(ctx, entities, tenant, run, event.eventId, event.eventName, entityKey);
  return { entity, rejected, routed: { runId: run.runId, engine: run.engine } };
}
