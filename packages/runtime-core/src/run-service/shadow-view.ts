import type { RunShadowView } from '@baton/event-schemas';
import { isTerminalRunStatus } from '@baton/event-schemas';
import type { RunRecord } from '../ports/run-store.js';
import { compareShadowRuns, type ShadowComparisonResult } from '../shadow/compare-runs.js';
import type { RuntimeContext } from './runtime-context.js';

/** The comparison of a finished pair (`undefined` while either runs): status, error, output and step trace. */
export async function comparePair(ctx: RuntimeContext, primary: RunRecord, shadow: RunRecord): Promise<ShadowComparisonResult | undefined> {
  if (!isTerminalRunStatus(primary.status) || !isTerminalRunStatus(shadow.status)) return undefined;
  const [primarySteps, shadowSteps] = await Promise.all([ctx.runs.listSteps(primary.tenant, primary.runId), ctx.runs.listSteps(shadow.tenant, shadow.runId)]);
  return compareShadowRuns(
    { status: primary.status, steps: primarySteps, ...(primary.output === undefined ? {} : { output: primary.output }), ...(primary.error ? { error: primary.error } : {}) },
    { status: shadow.status, steps: shadowSteps, ...(shadow.output === undefined ? {} : { output: shadow.output }), ...(shadow.error ? { error: shadow.error } : {}) },
  );
}

/** The `shadow` part of a primary's run view; `undefined` for a run without a shadow. */
export async function shadowViewOf(ctx: RuntimeContext, run: RunRecord): Promise<RunShadowView | undefined> {
  if (run.shadow?.role !== 'primary') return undefined;
  const shadow = await ctx.runs.get(run.tenant, run.shadow.shadowRunId);
  if (!shadow) return undefined;
  const compared = await comparePair(ctx, run, shadow);
  return {
    runId: shadow.runId,
    engine: shadow.engine,
    status: shadow.status,
    comparison: compared?.result ?? 'PENDING',
    ...(compared?.result === 'DIFFERENT' ? { firstDifference: compared.firstDifference } : {}),
  };
}
