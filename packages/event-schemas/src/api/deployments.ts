import { z } from 'zod';
import { WorkflowName, WorkflowVersion } from '../definition/names.js';
import { IsoDateTime } from './common.js';

/** A Temporal worker deployment version (`deploymentName` + `buildId`). */
export const DeploymentVersionRef = z
  .object({ deploymentName: z.string(), buildId: z.string() })
  .meta({ id: 'DeploymentVersionRef' });
export type DeploymentVersionRef = z.infer<typeof DeploymentVersionRef>;

/** One worker deployment version with its routing, drainage and what still runs on it. */
export const DeploymentVersionView = z
  .object({
    deploymentName: z.string(),
    buildId: z.string(),
    current: z.boolean().describe('New runs go to this version'),
    ramping: z.boolean().describe('A share of new runs goes to this version'),
    rampingPercent: z.number().nullable().describe('The ramp share when ramping'),
    status: z
      .string()
      .describe("Temporal's status of the version: CURRENT, RAMPING, DRAINING (not routed, pinned runs still open), DRAINED (no open pinned run), INACTIVE (never routed) or UNSPECIFIED"),
    drainage: z.enum(['DRAINING', 'DRAINED']).nullable().describe("Temporal's drainage status of a version no longer routed to (null: not reported)"),
    createdAt: IsoDateTime.nullable(),
    pollers: z.number().int().nullable().describe("Workers of this version seen polling Baton's task queue within the staleness limit (null: not asked)"),
    runs: z.number().int().describe("The caller's unfinished Baton Temporal runs pinned to this version (among its newest unfinished runs; see runsJudged)"),
  })
  .meta({ id: 'DeploymentVersionView' });
export type DeploymentVersionView = z.infer<typeof DeploymentVersionView>;

/** Answer of `GET /v1/deployments`. */
export const ListDeploymentsResponse = z
  .object({
    items: z.array(DeploymentVersionView),
    runsJudged: z.number().int().describe("How many of the caller's newest unfinished Temporal runs were asked for their version"),
    note: z.string().optional().describe('Why the list is empty, e.g. Temporal is not configured'),
  })
  .meta({ id: 'ListDeploymentsResponse' });
export type ListDeploymentsResponse = z.infer<typeof ListDeploymentsResponse>;

/** Body of `POST /v1/deployments/drain`: the runs pinned to a build, or the runs of a definition version. */
export const DrainBody = z
  .strictObject({
    buildId: z.string().min(1).max(255).optional().describe('Move the runs pinned to this build'),
    workflow: WorkflowName.optional().describe('With version: move the runs of this definition version'),
    version: WorkflowVersion.optional(),
    dryRun: z.boolean().optional().describe('Replay and report, change nothing'),
  })
  .superRefine((body, ctx) => {
    const byBuild = body.buildId !== undefined;
    const byVersion = body.workflow !== undefined || body.version !== undefined;
    if (byBuild === byVersion) ctx.addIssue({ code: 'custom', path: [], message: 'give either buildId, or workflow and version' });
    else if (byVersion && (body.workflow === undefined || body.version === undefined)) {
      ctx.addIssue({ code: 'custom', path: [body.workflow === undefined ? 'workflow' : 'version'], message: 'workflow and version go together' });
    }
  })
  .meta({ id: 'DrainBody' });
export type DrainBody = z.infer<typeof DrainBody>;

/** Why a drain did not move a run. */
export const DrainRefusal = z
  .enum(['REPLAY_FAILED', 'NOT_FOUND', 'NOT_PINNED', 'NO_CURRENT_VERSION', 'ALREADY_ON_TARGET', 'HISTORY_CHANGED', 'UPDATE_FAILED'])
  .meta({ id: 'DrainRefusal' });
export type DrainRefusal = z.infer<typeof DrainRefusal>;

/** Answer of `POST /v1/deployments/drain`. */
export const DrainResult = z
  .object({
    dryRun: z.boolean().describe('true: nothing was changed; moved lists the runs that would move'),
    moved: z.array(
      z.object({
        runId: z.string(),
        workflow: WorkflowName,
        version: WorkflowVersion,
        from: DeploymentVersionRef,
        to: DeploymentVersionRef,
      }),
    ),
    refused: z.array(
      z.object({
        runId: z.string(),
        reason: DrainRefusal,
        message: z.string().describe('For REPLAY_FAILED: the replay error (a non-determinism error names the mismatch)'),
      }),
    ),
    runsJudged: z.number().int().describe("How many of the caller's newest unfinished Temporal runs were considered"),
  })
  .meta({ id: 'DrainResult' });
export type DrainResult = z.infer<typeof DrainResult>;
