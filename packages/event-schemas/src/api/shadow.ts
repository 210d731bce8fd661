import { z } from 'zod';
import { EngineKind } from '../engine-kind.js';
import { JsonValue } from '../json-value.js';
import { RunStatus } from '../run-status.js';
import { RunId } from './common.js';

/** Where a primary and its shadow stand: not both finished yet, the same, or different. */
export const ShadowComparison = z.enum(['PENDING', 'MATCH', 'DIFFERENT']).meta({ id: 'ShadowComparison' });
export type ShadowComparison = z.infer<typeof ShadowComparison>;

/** The first point where a shadow did something else than its primary. */
export const ShadowDifference = z
  .object({
    path: z.string().describe('Execution path of the step (`check/loop[2]/charge`), or `$` for the run itself'),
    field: z.string().describe('`step`, `status`, `attempts`, `errorCategory`, `errorCode`, `output` or `ACTION_NOT_CALLED_BY_PRIMARY`'),
    primary: JsonValue.describe("The primary's value"),
    shadow: JsonValue.describe("The shadow's value"),
  })
  .meta({ id: 'ShadowDifference' });
export type ShadowDifference = z.infer<typeof ShadowDifference>;

/** The shadow of a primary run, as `GET /v1/runs/:runId` shows it. */
export const RunShadowView = z
  .object({
    runId: RunId,
    engine: EngineKind,
    status: RunStatus,
    comparison: ShadowComparison,
    firstDifference: ShadowDifference.optional(),
  })
  .meta({ id: 'RunShadowView' });
export type RunShadowView = z.infer<typeof RunShadowView>;

/** One difference of `GET /v1/workflows/:name/shadow`. */
export const ShadowReportDifference = ShadowDifference.extend({ runId: RunId, shadowRunId: RunId }).meta({ id: 'ShadowReportDifference' });
export type ShadowReportDifference = z.infer<typeof ShadowReportDifference>;

/** `GET /v1/workflows/:name/shadow`: the comparisons of a workflow's shadowed runs. */
export const ShadowReport = z
  .object({
    compared: z.number().int().min(0).describe('Pairs whose comparison is done (matched + different)'),
    matched: z.number().int().min(0),
    different: z.number().int().min(0),
    pending: z.number().int().min(0).describe('Pairs where the primary or the shadow has not finished'),
    discrepancyRate: z.number().min(0).max(1).describe('different / compared; 0 when nothing was compared'),
    latency: z.object({
      primaryP50Ms: z.number().nullable(),
      shadowP50Ms: z.number().nullable(),
      ratio: z.number().nullable().describe('shadowP50Ms / primaryP50Ms'),
    }),
    differences: z.array(ShadowReportDifference).describe('The most recent differences, newest first'),
  })
  .meta({ id: 'ShadowReport' });
export type ShadowReport = z.infer<typeof ShadowReport>;
