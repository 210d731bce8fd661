import type { EntityDelivery, JsonValue, RoutedRun, StartedRun, WorkflowEvent } from '@baton/event-schemas';
import { isExpressionError } from '@baton/expression-engine';
import { resolveCorrelationKey, type CorrelationResolution } from '../correlation/resolve-correlation-key.js';
import { isBatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import type { DefinitionVersionSummary } from '../ports/definition-store.js';
import type { EventOutcome, EventOutcomeEntry, EventRoutingError, RecordEventResult } from '../ports/event-audit.js';
import type { EventWaitKey, WaitRecord } from '../ports/wait-index.js';
import type { EventDeliveryResult } from './event-delivery-result.js';
import type { EngineSet } from '../engine/workflow-engine.js';
import { engineOf, withRunEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';
import { routeEntityEvent } from './route-entity-event.js';
import { startRun } from './start-run.js';
import { resolveTriggerInput } from './trigger-input.js';

/** A validated envelope and when it was accepted. */
export interface AcceptedEvent {
  readonly event: WorkflowEvent;
  readonly receivedAt: Date;
}

/** How one event of a batch ended: its result, or the error its delivery throws (nothing was marked processed). */
export type EventSettlement = { readonly ok: true; readonly result: EventDeliveryResult } | { readonly ok: false; readonly error: unknown };

/** Codes whose failure a redelivery of the same event may fix. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([ErrorCode.ENGINE_UNAVAILABLE, ErrorCode.ENGINE_DELIVERY_FAILED, ErrorCode.INTERNAL]);

function routingError(err: unknown, where: { runId?: string; workflow?: string }): EventRoutingError {
  if (isBatonError(err)) return { code: err.code, message: err.message, ...where, retryable: RETRYABLE_CODES.has(err.code) };
  if (isExpressionError(err)) {
    return { code: ErrorCode.TRIGGER_INPUT_FAILED, message: `trigger input: ${(err as Error).message}`, ...where, retryable: false };
  }
  return { code: ErrorCode.ENGINE_DELIVERY_FAILED, message: (err as Error)?.message ?? String(err), ...where, retryable: true };
}

/** The first wait of each run, in the order the index returned them. */
function firstWaitPerRun(waits: readonly WaitRecord[]): WaitRecord[] {
  const firstOfRun = new Map<string, WaitRecord>();
  for (const wait of waits) if (!firstOfRun.has(wait.runId)) firstOfRun.set(wait.runId, wait);
  return [...firstOfRun.values()];
}

const pairKey = (eventName: string, correlationKey: string) => `${eventName}\u0000${correlationKey}`;

/** The answer to a delivery of an event whose routing already finished: nothing is routed again. */
function processedDuplicate(event: WorkflowEvent, recorded: RecordEventResult, resolution: CorrelationResolution): EventDeliveryResult {
  const outcome = recorded.record.outcome;
  return {
    eventId: event.eventId,
    duplicate: true,
    correlationKey: outcome?.correlationKey ?? resolution.key,
    correlationSource: outcome?.correlationSource ?? resolution.source,
    routed: [],
    startedRuns: [],
    errors: [],
    processed: true,
  };
}

/** The answer to a repeat of an event within one batch: the first occurrence routed it. */
function batchDuplicate(first: EventSettlement): EventSettlement {
  if (!first.ok) return first;
  const r = first.result;
  return { ok: true, result: { ...r, duplicate: true, routed: [], startedRuns: [], errors: r.processed ? [] : r.errors } };
}

/** Hands the event to one candidate run's own engine; resolves to the routing error, if any (never rejects). */
async function deliverToWait(ctx: RuntimeContext, tenant: string, accepted: AcceptedEvent, correlationKey: string, wait: WaitRecord): Promise<EventRoutingError | undefined> {
  const { event, receivedAt } = accepted;
  try {
    await withRunEngine(ctx.engines, { tenant, runId: wait.runId, engine: wait.engine }, (engine, ref) =>
      engine.deliverEvent(ref, { eventId: event.eventId, eventName: event.eventName, correlationKey, payload: event.payload, receivedAt: receivedAt.toISOString() }),
    );
    return undefined;
  } catch (err) {
    return routingError(err, { runId: wait.runId });
  }
}

/**
 * Whether a delivery is part of a batch's batched phase: an engine with `batchedDelivery` (Postgres)
 * resolves concurrent deliveries in shared transactions, so they are worth holding a batch slot for;
 * one without it (Temporal) makes an independent remote call (a signal) and is not. A delivery to an
 * engine that is not wired fails at once, so it stays in the batched phase.
 */
const isBatchedDelivery = (engines: EngineSet, wait: WaitRecord): boolean => engineOf(engines, wait.engine)?.capabilities.batchedDelivery ?? true;

/** Starts the event-triggered workflows of one event, idempotently per (tenant, eventId, workflow). */
async function startTriggered(ctx: RuntimeContext, tenant: string, accepted: AcceptedEvent, correlationKey: string | null, triggered: readonly DefinitionVersionSummary[]) {
  const { event, receivedAt } = accepted;
  const startedRuns: StartedRun[] = [];
  const routed: RoutedRun[] = [];
  const entities: EntityDelivery[] = [];
  const errors: EventRoutingError[] = [];
  const executionKey = `event:${event.eventId}`;
  for (const workflow of [...new Set(triggered.map((t) => t.name))].sort()) {
    try {
      // The version comes from the policy; it starts only if that version is triggered by this event.
      const published = await ctx.registry.resolve(tenant, workflow, { runKey: executionKey });
      const trigger = published.definition.trigger;
      if (trigger?.type !== 'event' || trigger.eventName !== event.eventName) continue;
      if (trigger.entityKey !== undefined) {
        const entity = await routeEntityEvent(ctx, tenant, accepted, { ...published, definition: { ...published.definition, trigger: { ...trigger, entityKey: trigger.entityKey } } });
        entities.push(entity.entity);
        if (entity.startedRun) startedRuns.push(entity.startedRun);
        if (entity.routed) routed.push(entity.routed);
        for (const rejected of entity.rejected) errors.push({ code: rejected.code, message: rejected.message, workflow, retryable: false });
        continue;
      }
      const input: JsonValue = await resolveTriggerInput(
        trigger.input,
        { eventId: event.eventId, eventName: event.eventName, correlationKey, payload: event.payload },
        receivedAt,
      );
      const started = await startRun(ctx, tenant, { workflow, version: published.version, input, executionKey }, { triggerEventId: event.eventId });
      startedRuns.push({ runId: started.runId, workflow: started.workflow, version: started.version, engine: started.engine, created: started.created });
    } catch (err) {
      errors.push(routingError(err, { workflow }));
    }
  }
  return { startedRuns, routed, entities, errors };
}

/**
 * Routes a batch of events of one tenant (ARCHITECTURE.md "Data flow of an event") with one store
 * call per step for the whole batch: record every delivery (dedupe by (tenant, eventId); a repeat
 * inside the batch is answered from its first occurrence), one lookup of the candidate waits of all
 * keys and of the triggered workflows of all event names, every engine delivery and triggered start
 * at once, then one audit update. `release` is called when only remote deliveries (Temporal
 * signals) are left, so the batcher can start the next batch meanwhile. An event is marked
 * processed only after its routing finished; a store failure before that fails the events it left
 * unanswered (they stay unprocessed and route again when redelivered). Answers in the order of
 * `batch`.
 */
export async function routeEventBatch(ctx: RuntimeContext, tenant: string, batch: readonly AcceptedEvent[], release: () => void = () => {}): Promise<EventSettlement[]> {
  const settled: Array<EventSettlement | undefined> = new Array(batch.length);
  const fail = (error: unknown) => batch.map((_, i) => settled[i] ?? { ok: false as const, error });

  // The key is resolved before the event is recorded: recording puts it into the event inbox under
  // that key, before any wait is looked up (SPEC-dsl "Event inbox").
  const resolutions = batch.map(({ event }) => resolveCorrelationKey(event, ctx.correlation));
  let recorded: readonly RecordEventResult[];
  try {
    recorded = await ctx.events.recordMany(
      tenant,
      batch.map(({ event, receivedAt }, i) => ({
        eventId: event.eventId,
        eventName: event.eventName,
        payload: event.payload,
        receivedAt: receivedAt.toISOString(),
        ...(event.correlationKey === undefined ? {} : { correlationKey: event.correlationKey }),
        ...(event.occurredAt === undefined ? {} : { occurredAt: event.occurredAt }),
        ...(resolutions[i]!.key === null ? {} : { inboxKey: resolutions[i]!.key }),
      })),
    );
  } catch (err) {
    return fail(err);
  }

  const firstIndex = new Map<string, number>();
  const toRoute: number[] = [];
  const repeats: Array<[index: number, first: number]> = [];
  batch.forEach(({ event }, i) => {
    const first = firstIndex.get(event.eventId);
    if (first === undefined) firstIndex.set(event.eventId, i);
    if (recorded[i]!.alreadyProcessed) settled[i] = { ok: true, result: processedDuplicate(event, recorded[i]!, resolutions[i]!) };
    else if (first !== undefined) repeats.push([i, first]);
    else toRoute.push(i);
  });

  if (toRoute.length) {
    try {
      const keys = new Map<string, EventWaitKey>();
      for (const i of toRoute) {
        const key = resolutions[i]!.key;
        if (key !== null) keys.set(pairKey(batch[i]!.event.eventName, key), { eventName: batch[i]!.event.eventName, correlationKey: key });
      }
      const eventNames = [...new Set(toRoute.map((i) => batch[i]!.event.eventName))];
      const [waits, triggered] = await Promise.all([
        keys.size ? ctx.waits.findWaitingMany(tenant, [...keys.values()]) : Promise.resolve([]),
        ctx.definitions.listEventTriggeredMany(tenant, eventNames),
      ]);
      const waitsByKey = new Map<string, WaitRecord[]>();
      for (const wait of waits) {
        const key = pairKey(wait.eventName ?? '', wait.correlationKey ?? '');
        const list = waitsByKey.get(key) ?? [];
        list.push(wait);
        waitsByKey.set(key, list);
      }

      const batchedPhase: Array<Promise<unknown>> = [];
      const entitiesOf = new Map<number, EntityDelivery[]>();
      let remoteDeliveries = false;
      const routing = Promise.all(
        toRoute.map(async (i) => {
          const accepted = batch[i]!;
          const { event } = accepted;
          const resolution = resolutions[i]!;
          const key = resolution.key;
          // Every delivery and the triggered starts at once; the batched part is awaited first.
          const deliveries =
            key === null
              ? []
              : firstWaitPerRun(waitsByKey.get(pairKey(event.eventName, key)) ?? []).map((wait) => ({ wait, failure: deliverToWait(ctx, tenant, accepted, key, wait) }));
          const triggering = startTriggered(
            ctx,
            tenant,
            accepted,
            key,
            triggered.filter((t) => t.triggerEventName === event.eventName),
          );
          batchedPhase.push(Promise.all([triggering, ...deliveries.filter((d) => isBatchedDelivery(ctx.engines, d.wait)).map((d) => d.failure)]));
          if (deliveries.some((d) => !isBatchedDelivery(ctx.engines, d.wait))) remoteDeliveries = true;
          const errors: EventRoutingError[] = [];
          if (key === null) errors.push({ code: ErrorCode.CORRELATION_KEY_MISSING, message: resolution.detail, retryable: false });
          const routed: RoutedRun[] = [];
          for (const { wait, failure } of deliveries) {
            const error = await failure;
            if (error) errors.push(error);
            else routed.push({ runId: wait.runId, engine: wait.engine });
          }
          const triggers = await triggering;
          errors.push(...triggers.errors);
          routed.push(...triggers.routed);
          if (triggers.entities.length) entitiesOf.set(i, triggers.entities);
          const outcome: EventOutcome = {
            status: errors.some((e) => e.retryable) ? 'FAILED' : 'PROCESSED',
            correlationKey: resolution.key,
            correlationSource: resolution.source,
            routed,
            startedRuns: triggers.startedRuns,
            errors,
            processedAt: ctx.clock().toISOString(),
          };
          return outcome;
        }),
      );
      // Each event pushed its batched part synchronously above, so the list is complete here. Only a
      // batch waiting on remote deliveries gives its slot back early; otherwise it keeps it to the end.
      if (remoteDeliveries) void Promise.all(batchedPhase).then(release, release);
      const outcomes = await routing;

      const entries: EventOutcomeEntry[] = toRoute.map((i, n) => ({ eventId: batch[i]!.event.eventId, outcome: outcomes[n]! }));
      await ctx.events.markProcessedMany(tenant, entries);
      toRoute.forEach((i, n) => {
        const outcome = outcomes[n]!;
        settled[i] = {
          ok: true,
          result: {
            eventId: batch[i]!.event.eventId,
            duplicate: false,
            correlationKey: outcome.correlationKey,
            correlationSource: outcome.correlationSource,
            routed: [...outcome.routed],
            startedRuns: [...outcome.startedRuns],
            ...(entitiesOf.has(i) ? { entities: entitiesOf.get(i)! } : {}),
            errors: outcome.errors,
            processed: outcome.status === 'PROCESSED',
          },
        };
      });
    } catch (err) {
      for (const i of toRoute) settled[i] = { ok: false, error: err };
    }
  }

  for (const [i, first] of repeats) settled[i] = batchDuplicate(settled[first]!);
  return fail(new Error('the event was not answered'));
}
