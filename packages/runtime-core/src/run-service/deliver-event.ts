import { WorkflowEvent, type EventAcceptedResponse, type JsonValue, type RoutedRun, type StartedRun } from '@baton/event-schemas';
import { isExpressionError } from '@baton/expression-engine';
import { resolveCorrelationKey } from '../correlation/resolve-correlation-key.js';
import { isBatonError, validationError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { zodIssuesToValidationIssues } from '../errors/zod-issues.js';
import type { EventOutcome, EventRoutingError } from '../ports/event-audit.js';
import type { WaitRecord } from '../ports/wait-index.js';
import { withRunEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';
import { startRun } from './start-run.js';
import { resolveTriggerInput } from './trigger-input.js';

/** What `deliverEvent` answers: SPEC-api's 202 body, plus what went wrong and whether routing finished. */
export interface EventDeliveryResult extends EventAcceptedResponse {
  readonly errors: readonly EventRoutingError[];
  /**
   * `false` when a retryable error (an engine unavailable or failing) left part of the routing undone:
   * the event stays unprocessed and a redelivery routes it again (stream consumers must not ack).
   */
  readonly processed: boolean;
}

/** Codes whose failure a redelivery of the same event may fix. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([ErrorCode.ENGINE_UNAVAILABLE, ErrorCode.ENGINE_DELIVERY_FAILED, ErrorCode.INTERNAL]);

function routingError(err: unknown, where: { runId?: string; workflow?: string }): EventRoutingError {
  if (isBatonError(err)) return { code: err.code, message: err.message, ...where, retryable: RETRYABLE_CODES.has(err.code) };
  if (isExpressionError(err)) {
    return { code: ErrorCode.TRIGGER_INPUT_FAILED, message: `trigger input: ${(err as Error).message}`, ...where, retryable: false };
  }
  return { code: ErrorCode.ENGINE_DELIVERY_FAILED, message: (err as Error)?.message ?? String(err), ...where, retryable: true };
}

/** The waits of each run, in the order the index returned them. */
function groupByRun(waits: readonly WaitRecord[]): WaitRecord[] {
  const firstOfRun = new Map<string, WaitRecord>();
  for (const wait of waits) if (!firstOfRun.has(wait.runId)) firstOfRun.set(wait.runId, wait);
  return [...firstOfRun.values()];
}

/**
 * Routes one event (ARCHITECTURE.md "Data flow of an event"): validate the envelope, dedupe by
 * (tenant, eventId), resolve the correlation key, hand the event to the engine of every run with an
 * open wait for (eventName, key), start event-triggered workflows idempotently per
 * (tenant, eventId, workflow), and record the outcome on the audit row. Failures are collected,
 * never thrown half-way. A processed duplicate routes and starts nothing, so its `routed` and
 * `startedRuns` are empty; the first delivery's outcome stays on the audit record.
 */
export async function deliverEvent(ctx: RuntimeContext, tenant: string, envelope: unknown): Promise<EventDeliveryResult> {
  const parsed = WorkflowEvent.safeParse(envelope);
  if (!parsed.success) throw validationError('the event envelope is invalid', zodIssuesToValidationIssues(parsed.error));
  const event = parsed.data;
  const receivedAt = ctx.clock();

  const recorded = await ctx.events.record(tenant, {
    eventId: event.eventId,
    eventName: event.eventName,
    payload: event.payload,
    receivedAt: receivedAt.toISOString(),
    ...(event.correlationKey === undefined ? {} : { correlationKey: event.correlationKey }),
    ...(event.occurredAt === undefined ? {} : { occurredAt: event.occurredAt }),
  });
  const resolution = resolveCorrelationKey(event, ctx.correlation);
  if (recorded.alreadyProcessed) {
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

  const errors: EventRoutingError[] = [];
  const routed: RoutedRun[] = [];
  if (resolution.key === null) {
    errors.push({ code: ErrorCode.CORRELATION_KEY_MISSING, message: resolution.detail, retryable: false });
  } else {
    const correlationKey = resolution.key;
    const candidates = groupByRun(await ctx.waits.findWaiting(tenant, event.eventName, correlationKey));
    for (const wait of candidates) {
      try {
        await withRunEngine(ctx.engines, { tenant, runId: wait.runId, engine: wait.engine }, (engine, ref) =>
          engine.deliverEvent(ref, { eventId: event.eventId, eventName: event.eventName, correlationKey, payload: event.payload }),
        );
        routed.push({ runId: wait.runId, engine: wait.engine });
      } catch (err) {
        errors.push(routingError(err, { runId: wait.runId }));
      }
    }
  }

  const startedRuns: StartedRun[] = [];
  const triggered = await ctx.definitions.listEventTriggered(tenant, event.eventName);
  const executionKey = `event:${event.eventId}`;
  for (const workflow of [...new Set(triggered.map((t) => t.name))].sort()) {
    try {
      // The version comes from the policy; it starts only if that version is triggered by this event.
      const published = await ctx.registry.resolve(tenant, workflow, { runKey: executionKey });
      const trigger = published.definition.trigger;
      if (trigger?.type !== 'event' || trigger.eventName !== event.eventName) continue;
      const input: JsonValue = await resolveTriggerInput(
        trigger.input,
        { eventId: event.eventId, eventName: event.eventName, correlationKey: resolution.key, payload: event.payload },
        receivedAt,
      );
      const started = await startRun(ctx, tenant, { workflow, version: published.version, input, executionKey }, { triggerEventId: event.eventId });
      startedRuns.push({ runId: started.runId, workflow: started.workflow, version: started.version, engine: started.engine, created: started.created });
    } catch (err) {
      errors.push(routingError(err, { workflow }));
    }
  }

  const outcome: EventOutcome = {
    status: errors.some((e) => e.retryable) ? 'FAILED' : 'PROCESSED',
    correlationKey: resolution.key,
    correlationSource: resolution.source,
    routed,
    startedRuns,
    errors,
    processedAt: ctx.clock().toISOString(),
  };
  await ctx.events.markProcessed(tenant, event.eventId, outcome);
  return {
    eventId: event.eventId,
    duplicate: false,
    correlationKey: resolution.key,
    correlationSource: resolution.source,
    routed,
    startedRuns,
    errors,
    processed: outcome.status === 'PROCESSED',
  };
}
