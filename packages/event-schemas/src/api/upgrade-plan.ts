import { z } from 'zod';
import { EngineKind } from '../engine-kind.js';
import { RunStatus } from '../run-status.js';
import { WorkflowVersion } from '../definition/names.js';

/** Query of `GET /v1/workflows/:name/upgrade-plan` (no component id: the OpenAPI document inlines query parameters). */
export const UpgradePlanQuery = z
  .strictObject({
    from: WorkflowVersion.describe('The published version whose in-flight runs are classified'),
    to: WorkflowVersion.describe('The published version they would move to'),
  });
export type UpgradePlanQuery = z.infer<typeof UpgradePlanQuery>;

/** A step of a definition, located: its id and its path in the step tree (e.g. `steps[2].then[0]`). */
export const PlannedStep = z.object({ stepId: z.string(), path: z.string() }).meta({ id: 'PlannedStep' });
export type PlannedStep = z.infer<typeof PlannedStep>;

/** The step-tree diff of two versions, by step id. */
export const StepTreeDiff = z
  .object({
    added: z.array(PlannedStep).describe('Steps of `to` whose id is not in `from`'),
    removed: z.array(PlannedStep).describe('Steps of `from` whose id is not in `to`'),
    changed: z.array(PlannedStep).describe('Steps in both whose own definition (nested step lists excluded) or path differs; the path is the one in `to`'),
  })
  .meta({ id: 'StepTreeDiff' });
export type StepTreeDiff = z.infer<typeof StepTreeDiff>;

/** Where an in-flight run of `from` could move to `to`. */
export const UpgradeClass = z.enum(['MOVES_NOW', 'MOVES_AT_CONTINUE_AS_NEW', 'CANNOT_MOVE']).meta({ id: 'UpgradeClass' });
export type UpgradeClass = z.infer<typeof UpgradeClass>;

/**
 * Why a run does not move now. The planner gives the first four; an apply, re-checking each run under its
 * lock, may also find it no longer on `from` (`NOT_ON_FROM_VERSION`: it moved already, or continued as new
 * onto another version) or finished (`RUN_FINISHED`).
 */
export const UpgradeBlockReason = z
  .enum(['STEP_CHANGED', 'STEP_REMOVED', 'NOT_AT_A_WAIT', 'INPUT_INCOMPATIBLE', 'NOT_ON_FROM_VERSION', 'RUN_FINISHED'])
  .meta({ id: 'UpgradeBlockReason' });
export type UpgradeBlockReason = z.infer<typeof UpgradeBlockReason>;

/** The class of one in-flight run. */
export const PlannedRun = z
  .object({
    runId: z.string(),
    engine: EngineKind,
    status: RunStatus,
    class: UpgradeClass,
    reason: UpgradeBlockReason.optional().describe('Why it does not move now (absent for MOVES_NOW)'),
    stepPath: z.string().optional().describe('Path in `from` of the step the run waits at (the first blocking one when it cannot move)'),
  })
  .meta({ id: 'PlannedRun' });
export type PlannedRun = z.infer<typeof PlannedRun>;

/** Answer of `GET /v1/workflows/:name/upgrade-plan`. */
export const UpgradePlan = z
  .object({ from: z.string(), to: z.string(), diff: StepTreeDiff, runs: z.array(PlannedRun) })
  .meta({ id: 'UpgradePlan' });
export type UpgradePlan = z.infer<typeof UpgradePlan>;
