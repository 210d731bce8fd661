import { z } from 'zod';
import { WorkflowName, WorkflowVersion } from '../definition/names.js';
import { EngineKind } from '../engine-kind.js';
import { JsonValue } from '../json-value.js';
import { IsoDateTime, RunId, wholeNumber } from './common.js';

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

/** What an entity workflow did with an event (SPEC-dsl "Entity workflows"). */
export const EntityDelivery = z
  .object({
    workflow: WorkflowName,
    entityKey: z.string(),
    sequence: z.number().int().min(1).describe("The event's per-entity sequence number (the first admission's on a duplicate)"),
    runId: RunId.optional().describe("The entity's live run, which takes the event (absent when no run could be started)"),
    started: z.boolean().describe('True when the event started the run'),
  })
  .meta({ id: 'EntityDelivery' });
export type EntityDelivery = z.infer<typeof EntityDelivery>;

/** Answer of `POST /v1/events` (202). */
export const EventAcceptedResponse = z
  .object({
    eventId: z.string(),
    duplicate: z.boolean().describe('True when this eventId was already received for the tenant; nothing was routed again'),
    correlationKey: z.string().nullable(),
    correlationSource: CorrelationSource,
    routed: z.array(RoutedRun),
    startedRuns: z.array(StartedRun),
    entities: z.array(EntityDelivery).optional().describe('Entity workflows whose trigger matched: the sequence number and run per entity'),
  })
  .meta({ id: 'EventAcceptedResponse' });
export type EventAcceptedResponse = z.infer<typeof EventAcceptedResponse>;

/** Routing state of an audited event: `RECEIVED` until routing finished, `FAILED` to be routed again on redelivery. */
export const EventStatus = z.enum(['RECEIVED', 'PROCESSED', 'FAILED']);
export type EventStatus = z.infer<typeof EventStatus>;

/** Something that went wrong while routing an event (e.g. `CORRELATION_KEY_MISSING`, `ENGINE_UNAVAILABLE`). */
export const EventRoutingErrorView = z
  .object({
    code: z.string(),
    message: z.string(),
    runId: RunId.optional(),
    workflow: z.string().optional(),
    retryable: z.boolean(),
  })
  .meta({ id: 'EventRoutingError' });
export type EventRoutingErrorView = z.infer<typeof EventRoutingErrorView>;

/** An audited event as `GET /v1/events` shows it. */
export const EventView = z
  .object({
    eventId: z.string(),
    eventName: z.string(),
    envelopeCorrelationKey: z.string().optional().describe('The correlationKey of the envelope, as sent'),
    correlationKey: z.string().nullable().describe('The key routing used; null when missing or not routed yet'),
    correlationSource: CorrelationSource.nullable().describe('null until routing finished once'),
    status: EventStatus,
    deliveries: z.number().int().min(1).describe('How many times the event was received'),
    payload: JsonValue,
    occurredAt: IsoDateTime.optional(),
    receivedAt: IsoDateTime,
    processedAt: IsoDateTime.optional(),
    routed: z.array(RoutedRun).describe('Runs the event resumed'),
    startedRuns: z.array(StartedRun).describe('Runs event-triggered workflows started'),
    errors: z.array(EventRoutingErrorView),
  })
  .meta({ id: 'EventView' });
export type EventView = z.infer<typeof EventView>;

/** Query of `GET /v1/events`. */
export const ListEventsQuery = z
  .object({
    limit: wholeNumber(1, 200, { coerce: true }).optional().describe('Page size. Default 50'),
    cursor: z.string().optional().describe('nextCursor of the previous page; any other value answers 400 VALIDATION_ERROR with an INVALID_CURSOR issue'),
    runId: RunId.optional().describe('Only the events that resolved a wait of this run (the events that resumed it, routed or taken from the event inbox)'),
  })
  .meta({ id: 'ListEventsQuery' });
export type ListEventsQuery = z.infer<typeof ListEventsQuery>;

/** Answer of `GET /v1/events`, most recently received first. */
export const ListEventsResponse = z
  .object({
    items: z.array(EventView),
    nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
  })
  .meta({ id: 'ListEventsResponse' });
export type ListEventsResponse = z.infer<typeof ListEventsResponse>;
