import { z } from 'zod';
import { WorkflowName } from '../definition/names.js';
import { EngineKind } from '../engine-kind.js';
import { JsonValue } from '../json-value.js';
import { RunStatus } from '../run-status.js';
import { RunId } from './common.js';

/** Path parameters of `GET /v1/entities/:workflow/:entityKey`. */
export const EntityParams = z
  .object({
    workflow: WorkflowName,
    entityKey: z.string().min(1).max(500),
  });
// No component id: @fastify/swagger cannot resolve a $ref in path parameters (GET /openapi.json answered 500).
export type EntityParams = z.infer<typeof EntityParams>;

/** Answer of `GET /v1/entities/:workflow/:entityKey`: the entity's live run (or its last one). */
export const EntityView = z
  .object({
    runId: RunId,
    engine: EngineKind,
    status: RunStatus,
    sequence: z.number().int().min(0).describe('Sequence number of the last event a run of the entity took (its start event counts)'),
    pending: z.number().int().min(0).describe('Events admitted to the entity and not taken yet'),
    state: JsonValue.describe("The run's variables (`vars`); null when its engine has none to show yet"),
  })
  .meta({ id: 'EntityView' });
export type EntityView = z.infer<typeof EntityView>;
