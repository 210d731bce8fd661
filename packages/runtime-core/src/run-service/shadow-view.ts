import type { RunShadowView } from '@baton/event-schemas';
import type { RunRecord } from '../ports/run-store.js';
import { comparePair, settleShadowComparison } from '../shadow/settle-shadow-comparison.js';
import type { RuntimeContext } from './runtime-context.js';

/**
 * The `shadow` part of a primary's run view; `undefined` for a run without a shadow. The comparison is
 * the filed one (`shadow_comparisons`, what the shadow report and the rollout gate count); a finished
 * pair nobody filed yet (a driver that crashed after writing the run) is filed by this read. Without a
 * comparison store (the in-memory stores) it is computed on each read.
 */
export async function shadowViewOf(ctx: RuntimeContext, run: RunRecord): Promise<RunShadowView | undefined> {
  if (run.shadow?.role !== 'primary') return undefined;
  const shadow = await ctx.runs.get(run.tenant, run.shadow.shadowRunId);
  if (!shadow) return undefined;
  const compared = ctx.shadowComparisons
    ? await settleShadowComparison(
        { runs: ctx.runs, comparisons: ctx.shadowComparisons, clock: ctx.clock, ...(ctx.onShadowCompared ? { onCompared: ctx.onShadowCompared } : {}) },
        run.tenant,
        run.runId,
        run,
      )
    : await comparePair(ctx.runs, run, shadow).then((c) => (c ? (c.result === 'MATCH' ? { comparison: 'MATCH' as const } : { comparison: 'DIFFERENT' as const, firstDifference: c.firstDifference }) : undefined));
  const comparison = compared?.comparison ?? 'PENDING';
  return {
    runId: shadow.runId,
    engine: shadow.engine,
    status: shadow.status,
    comparison,
    ...(comparison === 'DIFFERENT' && compared?.firstDifference ? { firstDifference: compared.firstDifference } : {}),
  };
}
