import { z } from 'zod';
import { WorkflowName, WorkflowVersion } from '../definition/names.js';
import { EngineKind } from '../engine-kind.js';
import { JsonValue } from '../json-value.js';
import { IsoDateTime, RunId } from './common.js';

/** The event envelope (`POST /v1/events` body, Redis stream entry). */
export const WorkflowEvent = z
  .strictObject({
    eventId: z.string().min(1).max(500).describe('Unique per tenant; a duplicate is acknowledged and not routed twice'),
    eventName: z.string().min(1).max(200),
    correlationKey: z
      .string()
      .max(500)
      .optional()
      .describe('Explicit correlation key (trimmed; empty = absent); else derived by BATON_EVENT_CORRELATION_PATHS'),
    payload: JsonValue,
    occurredAt: IsoDateTime.optional(),
  })
  .meta({ id: 'WorkflowEvent' });
export type WorkflowEvent = z.infer<typeof WorkflowEvent>;

/** How an event's correlation key was found. */
export const CorrelationSource = z
  .enum(['explicit', 'derived', 'missing'])
  .describe('"explicit": the envelope key; "derived": a configured payload path; "missing": no key (audited with CORRELATION_KEY_MISSING)');
export type CorrelationSource = z.infer<typeof CorrelationSource>;

/** A run an event resumed. */
export const RoutedRun = z.object({ runId: RunId, engine: EngineKind }).meta({ id: 'RoutedRun' });
export type RoutedRun = z.infer<typeof RoutedRun>;

/** A run an event-triggered workflow started. */
export const StartedRun = z
  .object({
    runId: RunId,
    workflow: WorkflowName,
    version: WorkflowVersion,
    engine: EngineKind,
    created: z.boolean().describe('False when the run for (tenant, eventId, workflow) already existed'),
  })
  .meta({ id: 'StartedRun' });
export type StartedRun = z.infer<typeof StartedRun>;

/** Answer of `POST /v1/events` (202). */
export const EventAcceptedResponse = z
  .object({
    eventId: z.string(),
    duplicate: z.boolean().describe('True when this eventId was already received for the tenant; nothing was routed again'),
    correlationKey: z.string().nullable(),
    correlationSource: CorrelationSource,
    routed: z.array(RoutedRun),
    startedRuns: z.array(StartedRun),
  })
  .meta({ id: 'EventAcceptedResponse' });
export type EventAcceptedResponse = z.infer<typeof EventAcceptedResponse>;
