import { z } from 'zod';
import { WorkflowName, WorkflowVersion } from '../definition/names.js';
import { WorkflowDefinition } from '../definition/workflow-definition.js';
import { IsoDateTime } from './common.js';

/** Answer of `POST /v1/workflows` (201 new, 200 same content again). */
export const PublishWorkflowResponse = z
  .object({
    name: WorkflowName,
    version: WorkflowVersion,
    hash: z.string().describe('sha-256 (hex) of the canonical JSON of the definition'),
  })
  .meta({ id: 'PublishWorkflowResponse' });
export type PublishWorkflowResponse = z.infer<typeof PublishWorkflowResponse>;

/** Which version a new run of a workflow gets (same shape as runtime-core's registry policy). */
export const VersionPolicy = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('latest') }).describe('The highest published version'),
    z.strictObject({ type: z.literal('exact'), version: WorkflowVersion }).describe('Always this version'),
    z
      .strictObject({
        type: z.literal('weighted'),
        weights: z
          .record(WorkflowVersion, z.number().min(0))
          .describe('Version -> weight; a run picks a version by a stable hash of tenant:workflow:executionKey'),
      })
      .describe('Weighted canary between versions'),
  ])
  .meta({ id: 'VersionPolicy' });
export type VersionPolicy = z.infer<typeof VersionPolicy>;

/** Which engine a new run of a workflow gets (same shape as runtime-core's routing policy). */
export const EnginePolicy = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('db') }).describe('Always the Postgres engine'),
    z.strictObject({ type: z.literal('temporal') }).describe('Always the Temporal engine'),
    z
      .strictObject({
        type: z.literal('percent'),
        temporalPercent: z.number().min(0).max(100).describe('Share of new runs sent to Temporal, by a stable hash'),
      })
      .describe('Gradual cutover to Temporal'),
  ])
  .meta({ id: 'EnginePolicy' });
export type EnginePolicy = z.infer<typeof EnginePolicy>;

/** Policy of a workflow name. */
export const WorkflowPolicy = z
  .object({
    versionPolicy: VersionPolicy,
    engine: EnginePolicy.optional().describe('Absent: BATON_DEFAULT_ENGINE applies'),
  })
  .meta({ id: 'WorkflowPolicy' });
export type WorkflowPolicy = z.infer<typeof WorkflowPolicy>;

/** One published version of a workflow. */
export const WorkflowVersionSummary = z
  .object({
    version: WorkflowVersion,
    hash: z.string(),
    publishedAt: IsoDateTime,
  })
  .meta({ id: 'WorkflowVersionSummary' });
export type WorkflowVersionSummary = z.infer<typeof WorkflowVersionSummary>;

/** Answer of `GET /v1/workflows/:name`. */
export const WorkflowSummary = z
  .object({
    name: WorkflowName,
    versions: z.array(WorkflowVersionSummary).describe('Published versions, ascending by semver'),
    policy: WorkflowPolicy,
  })
  .meta({ id: 'WorkflowSummary' });
export type WorkflowSummary = z.infer<typeof WorkflowSummary>;

/** Path parameters of `/v1/workflows/:name...`. */
export const WorkflowNameParams = z.object({ name: WorkflowName });
export type WorkflowNameParams = z.infer<typeof WorkflowNameParams>;

/** Body of `PUT /v1/workflows/:name/policy`; omitted fields keep their value. */
export const UpdatePolicyBody = z
  .strictObject({
    versionPolicy: VersionPolicy.optional(),
    engine: EnginePolicy.optional(),
  })
  .meta({ id: 'UpdatePolicyBody' });
export type UpdatePolicyBody = z.infer<typeof UpdatePolicyBody>;

/** One row of `GET /v1/workflows`. */
export const WorkflowListItem = z
  .object({ name: WorkflowName })
  .meta({ id: 'WorkflowListItem' });
export type WorkflowListItem = z.infer<typeof WorkflowListItem>;

/** Answer of `GET /v1/workflows`: the tenant's workflow names, ascending. */
export const ListWorkflowsResponse = z
  .object({ items: z.array(WorkflowListItem) })
  .meta({ id: 'ListWorkflowsResponse' });
export type ListWorkflowsResponse = z.infer<typeof ListWorkflowsResponse>;

/** Path parameters of `/v1/workflows/:name/versions/:version`. */
export const WorkflowVersionParams = z.object({ name: WorkflowName, version: WorkflowVersion });
export type WorkflowVersionParams = z.infer<typeof WorkflowVersionParams>;

/** Answer of `GET /v1/workflows/:name/versions/:version`: a published version with its definition. */
export const WorkflowVersionView = z
  .object({
    name: WorkflowName,
    version: WorkflowVersion,
    hash: z.string(),
    publishedAt: IsoDateTime,
    definition: WorkflowDefinition,
  })
  .meta({ id: 'WorkflowVersionView' });
export type WorkflowVersionView = z.infer<typeof WorkflowVersionView>;
