import { z } from 'zod';
import { EngineKind } from '../engine-kind.js';
import { WorkflowVersion } from '../definition/names.js';
import { IsoDateTime, RunId, wholeNumber } from './common.js';
import { UpgradeBlockReason, UpgradeClass } from './upgrade-plan.js';

/** Largest `runIds` list of one apply. */
export const MAX_UPGRADE_RUN_IDS = 1000;

/** Body of `POST /v1/workflows/:name/upgrade`. */
export const UpgradeApplyBody = z
  .strictObject({
    from: WorkflowVersion.describe('The published version whose in-flight runs move'),
    to: WorkflowVersion.describe('The published version they move to'),
    runIds: z.array(RunId).min(1).max(MAX_UPGRADE_RUN_IDS).optional().describe('Only these runs (default: every in-flight run of `from`)'),
    dryRun: z.boolean().optional().describe('Classify and report, move nothing, write no audit record'),
  })
  .meta({ id: 'UpgradeApplyBody' });
export type UpgradeApplyBody = z.infer<typeof UpgradeApplyBody>;

/** A run an apply moved (or, with `dryRun`, would move). */
export const MovedRun = z.object({ runId: RunId, engine: EngineKind }).meta({ id: 'MovedRun' });
export type MovedRun = z.infer<typeof MovedRun>;

/** A run an apply left on `from`, with its class and why. */
export const SkippedRun = z
  .object({
    runId: RunId,
    engine: EngineKind.optional().describe('Absent for a requested run id that is not a run of the tenant'),
    class: UpgradeClass,
    reason: UpgradeBlockReason.or(z.enum(['RUN_NOT_FOUND', 'ENGINE_UNAVAILABLE'])).describe(
      'The planner\'s reasons; RUN_NOT_FOUND: a requested id that is no run of this workflow; ENGINE_UNAVAILABLE: its engine is not wired here, cannot move runs or failed',
    ),
    stepPath: z.string().optional(),
  })
  .meta({ id: 'SkippedRun' });
export type SkippedRun = z.infer<typeof SkippedRun>;

/** Answer of `POST /v1/workflows/:name/upgrade`. */
export const UpgradeApplyResult = z
  .object({ from: z.string(), to: z.string(), dryRun: z.boolean(), moved: z.array(MovedRun), skipped: z.array(SkippedRun) })
  .meta({ id: 'UpgradeApplyResult' });
export type UpgradeApplyResult = z.infer<typeof UpgradeApplyResult>;

/** One run's outcome in an apply: MOVED, or SKIPPED when the re-check under the run's lock refused it. */
export const UpgradeOutcome = z.enum(['MOVED', 'SKIPPED']).meta({ id: 'UpgradeOutcome' });
export type UpgradeOutcome = z.infer<typeof UpgradeOutcome>;

/** The audit record of one run in an apply (`GET /v1/workflows/:name/upgrades`). */
export const UpgradeAuditRecord = z
  .object({
    workflow: z.string(),
    runId: RunId,
    engine: EngineKind,
    from: z.string(),
    to: z.string(),
    actor: z.string().describe('The API key name that applied it'),
    at: IsoDateTime,
    outcome: UpgradeOutcome,
    reason: UpgradeBlockReason.optional().describe('Why a SKIPPED run stayed'),
  })
  .meta({ id: 'UpgradeAuditRecord' });
export type UpgradeAuditRecord = z.infer<typeof UpgradeAuditRecord>;

/** Query of `GET /v1/workflows/:name/upgrades`. */
export const ListUpgradesQuery = z.strictObject({
  runId: RunId.optional().describe('Only the records of this run'),
  limit: wholeNumber(1, 500, { coerce: true }).optional().describe('Newest first, at most this many (default 100)'),
});
export type ListUpgradesQuery = z.infer<typeof ListUpgradesQuery>;

/** Answer of `GET /v1/workflows/:name/upgrades`, newest first. */
export const ListUpgradesResponse = z.object({ items: z.array(UpgradeAuditRecord) }).meta({ id: 'ListUpgradesResponse' });
export type ListUpgradesResponse = z.infer<typeof ListUpgradesResponse>;
