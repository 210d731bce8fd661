import { z } from 'zod';
import { WorkflowName, WorkflowVersion } from '../definition/names.js';
import { WorkflowDefinition } from '../definition/workflow-definition.js';
import { EngineKind } from '../engine-kind.js';
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

/**
 * The engine policy as a request may give it: the object, or the shorthand `"db"` / `"temporal"`
 * (ARCHITECTURE.md "Engine routing": `db`, `temporal`, or a percentage), read as `{type}`.
 */
export const EnginePolicyInput = z
  .union([z.enum(['db', 'temporal']).transform((type): EnginePolicy => ({ type })), EnginePolicy])
  .describe('An engine policy, or the shorthand "db" / "temporal" for {"type": "db"} / {"type": "temporal"}');

/** Shadow execution: a share of new runs also runs, without effects, on another engine and is compared. */
export const ShadowPolicy = z
  .strictObject({
    percent: z.number().min(0).max(100).describe('Share of new runs shadowed, chosen by the same stable hash as engine routing'),
    engine: EngineKind.optional().describe("The shadow's engine. Absent: the engine the primary run is not on"),
  })
  .meta({ id: 'ShadowPolicy' });
export type ShadowPolicy = z.infer<typeof ShadowPolicy>;

/** What must be measured (shadow comparisons with Temporal as the shadow) before the Temporal share may rise. */
export const RolloutGate = z
  .strictObject({
    minCompared: z.number().int().min(0).max(1_000_000_000).describe('Finished comparisons needed'),
    maxDiscrepancyRate: z.number().min(0).max(1).describe('Largest share of comparisons that differed (0.01 = 1 %)'),
    maxLatencyRatio: z
      .number()
      .positive()
      .max(1_000_000)
      .optional()
      .describe('Largest p50 latency of the Temporal shadows over their Postgres primaries. Absent: latency is not gated'),
  })
  .meta({ id: 'RolloutGate' });
export type RolloutGate = z.infer<typeof RolloutGate>;

/** Automatic rollback: Temporal's share drops to 0 when its finished runs do markedly worse than Postgres's. */
export const RollbackPolicy = z
  .strictObject({
    minRuns: z.number().int().min(1).max(1_000_000).describe('Finished runs needed in the window on each engine before judging'),
    maxErrorRateRatio: z.number().positive().max(1_000_000).default(2).describe('Temporal error rate over Postgres error rate that triggers a rollback'),
    maxP99LatencyRatio: z.number().positive().max(1_000_000).default(5).describe('Temporal p99 latency over Postgres p99 latency that triggers a rollback'),
  })
  .meta({ id: 'RollbackPolicy' });
export type RollbackPolicy = z.infer<typeof RollbackPolicy>;

/** Policy of a workflow name. */
export const WorkflowPolicy = z
  .object({
    versionPolicy: VersionPolicy,
    engine: EnginePolicy.optional().describe('Absent: BATON_DEFAULT_ENGINE applies'),
    shadow: ShadowPolicy.optional().describe('Absent: no shadow runs'),
    rolloutGate: RolloutGate.optional().describe('Absent: raising the Temporal share is not gated'),
    rollback: RollbackPolicy.optional().describe('Absent: no automatic rollback'),
  })
  .meta({ id: 'WorkflowPolicy' });
export type WorkflowPolicy = z.infer<typeof WorkflowPolicy>;

/** One accepted change of a workflow's policy. */
export const PolicyChange = z
  .object({
    at: IsoDateTime,
    actor: z.string().describe('Who changed it: the API key name ("key-" and the first 8 hex digits of its SHA-256), or "baton-rollback" for the automatic rollback'),
    from: WorkflowPolicy.nullable().describe('The policy before (null: none was set)'),
    to: WorkflowPolicy,
    forced: z.boolean().describe('true when ?force=true overrode an unmet rollout gate'),
    reason: z.string().nullable().describe('Why, when given (the automatic rollback states its measured breach; `baton rollout rollback` says "manual")'),
  })
  .meta({ id: 'PolicyChange' });
export type PolicyChange = z.infer<typeof PolicyChange>;

/** One published version of a workflow. */
export const WorkflowVersionSummary = z
  .object({
    version: WorkflowVersion,
    hash: z.string(),
    publishedAt: IsoDateTime,
    retiredAt: IsoDateTime.optional().describe('Present when the version is retired: no new run gets it'),
    retiredReason: z.string().nullable().optional().describe('Why it was retired, when given'),
  })
  .meta({ id: 'WorkflowVersionSummary' });
export type WorkflowVersionSummary = z.infer<typeof WorkflowVersionSummary>;

/** Body of `POST /v1/workflows/:name/versions/:version/retire`. */
export const RetireVersionBody = z
  .strictObject({
    reason: z.string().min(1).max(500).optional().describe('Why the version is retired (kept with it)'),
  })
  .meta({ id: 'RetireVersionBody' });
export type RetireVersionBody = z.infer<typeof RetireVersionBody>;

/** Answer of `POST /v1/workflows/:name/versions/:version/retire` (the first retirement; retiring again changes nothing). */
export const RetiredVersion = z
  .object({
    name: WorkflowName,
    version: WorkflowVersion,
    retiredAt: IsoDateTime,
    reason: z.string().nullable(),
  })
  .meta({ id: 'RetiredVersion' });
export type RetiredVersion = z.infer<typeof RetiredVersion>;

/** Answer of `GET /v1/workflows/:name`. */
export const WorkflowSummary = z
  .object({
    name: WorkflowName,
    versions: z.array(WorkflowVersionSummary).describe('Published versions, ascending by semver'),
    policy: WorkflowPolicy,
    history: z.array(PolicyChange).describe('Policy changes, newest first (at most the last 50)'),
  })
  .meta({ id: 'WorkflowSummary' });
export type WorkflowSummary = z.infer<typeof WorkflowSummary>;

/** Path parameters of `/v1/workflows/:name...`. */
export const WorkflowNameParams = z.object({ name: WorkflowName });
export type WorkflowNameParams = z.infer<typeof WorkflowNameParams>;

/** Body of `PUT /v1/workflows/:name/policy`; omitted fields keep their value, `null` removes shadow, gate or rollback. */
export const UpdatePolicyBody = z
  .strictObject({
    versionPolicy: VersionPolicy.optional(),
    engine: EnginePolicyInput.optional(),
    shadow: ShadowPolicy.nullable().optional(),
    rolloutGate: RolloutGate.nullable().optional(),
    rollback: RollbackPolicy.nullable().optional(),
    reason: z.string().min(1).max(500).optional().describe('Recorded in the policy history'),
  })
  .meta({ id: 'UpdatePolicyBody' });
export type UpdatePolicyBody = z.infer<typeof UpdatePolicyBody>;

/** Query of `PUT /v1/workflows/:name/policy`. */
export const UpdatePolicyQuery = z
  .object({
    force: z
      .enum(['true', 'false'])
      .optional()
      .describe('true: raise the Temporal share even though the rollout gate is not met (recorded as forced)'),
  })
  .meta({ id: 'UpdatePolicyQuery' });
export type UpdatePolicyQuery = z.infer<typeof UpdatePolicyQuery>;

/** Shadow comparison figures of a workflow (`GET /v1/workflows/:name/shadow` without its differences; what the rollout gate measures). */
export const ShadowFigures = z
  .object({
    compared: z.number().int().describe('Finished comparisons (MATCH + DIFFERENT)'),
    matched: z.number().int(),
    different: z.number().int(),
    pending: z.number().int().describe('Shadowed runs not compared yet'),
    discrepancyRate: z.number().describe('different / compared (0 when nothing was compared)'),
    latency: z.object({
      primaryP50Ms: z.number().nullable().describe('Median latency of the compared primaries (null: none)'),
      shadowP50Ms: z.number().nullable().describe('Median latency of the compared shadows (null: none)'),
      ratio: z.number().nullable().describe('shadowP50Ms / primaryP50Ms (null when either is missing or the primary median is 0)'),
    }),
  })
  .meta({ id: 'ShadowFigures' });
export type ShadowFigures = z.infer<typeof ShadowFigures>;

/** Extra fields of 409 `ROLLOUT_GATE_NOT_MET`. */
export const RolloutGateNotMetError = z
  .object({
    code: z.literal('ROLLOUT_GATE_NOT_MET'),
    message: z.string(),
    gate: RolloutGate,
    measured: ShadowFigures,
    failures: z.array(z.string()).describe('Each unmet condition, e.g. "compared 3 < minCompared 100"'),
    fromTemporalPercent: z.number(),
    toTemporalPercent: z.number(),
  })
  .meta({ id: 'RolloutGateNotMetError' });
export type RolloutGateNotMetError = z.infer<typeof RolloutGateNotMetError>;

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
