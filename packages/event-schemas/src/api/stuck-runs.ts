import { z } from 'zod';
import { IsoDateTime } from './common.js';

/**
 * A Postgres-engine run parked on an action (`id@version`) that no live worker of the Postgres
 * engine provides (no unexpired `action_catalog` row). At `deadline` the step fails
 * `ACTION_UNAVAILABLE` unless a worker providing it registers first.
 */
export const ActionNotProvidedReason = z
  .object({
    code: z.literal('ACTION_NOT_PROVIDED'),
    message: z.string(),
    action: z.string().describe('The action the run waits for, as id@version'),
    since: IsoDateTime.describe('When the run was first parked on it'),
    deadline: IsoDateTime.nullable().describe('When the step fails ACTION_UNAVAILABLE if still no worker provides it'),
  })
  .meta({ id: 'ActionNotProvidedReason' });
export type ActionNotProvidedReason = z.infer<typeof ActionNotProvidedReason>;

/**
 * A Temporal run PINNED to a worker deployment version no live worker polls (on the run's task
 * queue): it gets no workflow task until a worker of that build polls again or the run is moved.
 */
export const DeploymentVersionNotPolledReason = z
  .object({
    code: z.literal('DEPLOYMENT_VERSION_NOT_POLLED'),
    message: z.string(),
    deploymentName: z.string().describe('The worker deployment of the pinned version'),
    buildId: z.string().describe('The build id the run is pinned to'),
    taskQueue: z.string().describe('The task queue the run is on'),
  })
  .meta({ id: 'DeploymentVersionNotPolledReason' });
export type DeploymentVersionNotPolledReason = z.infer<typeof DeploymentVersionNotPolledReason>;

/**
 * An unfinished run of a definition version an operator retired
 * (`POST /v1/workflows/:name/versions/:version/retire`): it keeps running, but the version is being
 * taken out of service, so the run needs an upgrade, a drain or a cancel.
 */
export const DefinitionVersionRetiredReason = z
  .object({
    code: z.literal('DEFINITION_VERSION_RETIRED'),
    message: z.string(),
    workflow: z.string(),
    version: z.string().describe('The retired version the run is on'),
    retiredAt: IsoDateTime,
    retiredReason: z.string().nullable().describe('Why the version was retired, when given'),
  })
  .meta({ id: 'DefinitionVersionRetiredReason' });
export type DefinitionVersionRetiredReason = z.infer<typeof DefinitionVersionRetiredReason>;

/** Why a run cannot progress (`GET /v1/runs?stuck=true`), by `code`. */
export const StuckReason = z.discriminatedUnion('code', [ActionNotProvidedReason, DeploymentVersionNotPolledReason, DefinitionVersionRetiredReason]).meta({ id: 'StuckReason' });
export type StuckReason = z.infer<typeof StuckReason>;
export type StuckReasonCode = StuckReason['code'];
