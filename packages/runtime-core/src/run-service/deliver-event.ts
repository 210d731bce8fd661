import { WorkflowEvent } from '@baton/event-schemas';
import { validationError } from '../errors/baton-error.js';
import { zodIssuesToValidationIssues } from '../errors/zod-issues.js';
import type { EventDeliveryResult } from './event-delivery-result.js';
import { routeEventBatch, type AcceptedEvent } from './route-event-batch.js';
import type { RuntimeContext } from './runtime-context.js';

export type { EventDeliveryResult } from './event-delivery-result.js';

/** Validates an event envelope (`VALIDATION_ERROR` with the issues) and stamps its receipt time. */
export function acceptEventEnvelope(ctx: RuntimeContext, envelope: unknown): AcceptedEvent {
  const parsed = WorkflowEvent.safeParse(envelope);
  if (!parsed.success) throw validationError('the event envelope is invalid', zodIssuesToValidationIssues(parsed.error));
  return { event: parsed.data, receivedAt: ctx.clock() };
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
  const [settled] = await routeEventBatch(ctx, tenant, [acceptEventEnvelope(ctx, envelope)]);
  if (!settled!.ok) throw settled!.error;
  return settled!.result;
}
