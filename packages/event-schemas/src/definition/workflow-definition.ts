import { z } from 'zod';
import { JsonValue } from '../json-value.js';
import { Expr, ValueTemplate } from './expr.js';
import { EventName, WorkflowName, WorkflowVersion } from './names.js';
import { Step } from './step.js';

/** A JSON Schema document (2020-12): an object or a boolean. */
export const JsonSchemaDocument = z
  .union([z.record(z.string(), JsonValue), z.boolean()])
  .describe('A JSON Schema (draft 2020-12)');
export type JsonSchemaDocument = z.infer<typeof JsonSchemaDocument>;

/** Starts a run per matching event. */
export const EventTrigger = z
  .strictObject({
    type: z.literal('event'),
    eventName: EventName,
    input: ValueTemplate.optional().describe('Run input built from `event` (value template). Default: the event payload'),
    entityKey: Expr.optional().describe(
      'Entity workflow: an expression over `event` giving the entity key (a non-empty string or a finite number). One live run per key: a matching event starts a run only when none is live for its key; later events go to that run, which takes them with `event.wait` steps on this event name whose `correlationKey` is `run.entityKey`',
    ),
  })
  .describe('Start a run for each event with this name (with `entityKey`: one live run per entity key)')
  .meta({ id: 'EventTrigger' });
export type EventTrigger = z.infer<typeof EventTrigger>;

/** How runs of a workflow may be started besides the API. */
export const WorkflowTrigger = z.discriminatedUnion('type', [EventTrigger]).meta({ id: 'WorkflowTrigger' });
export type WorkflowTrigger = z.infer<typeof WorkflowTrigger>;

/** A versioned workflow definition (format v1). */
export const WorkflowDefinition = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema reference for editors; ignored by Baton and by the content hash'),
    name: WorkflowName,
    version: WorkflowVersion,
    description: z.string().max(10_000).optional(),
    trigger: WorkflowTrigger.optional(),
    inputSchema: JsonSchemaDocument.optional().describe('JSON Schema the run input must satisfy'),
    steps: z.array(Step).min(1).describe('Steps run in order'),
  })
  .describe('A Baton workflow definition (format v1)')
  .meta({ id: 'WorkflowDefinition', title: 'Baton workflow definition' });
export type WorkflowDefinition = z.infer<typeof WorkflowDefinition>;
