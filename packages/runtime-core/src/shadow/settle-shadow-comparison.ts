// Files the comparison of a shadow pair once both runs finished. Whichever run finishes last
// settles it (each driver calls this after it wrote a finished run with a shadow link), and a read
// of the primary settles a pair a crash left unfiled. Every caller computes the same verdict from
// the same finished records; the store files the first and counts it once.
import { isTerminalRunStatus } from '@baton/event-schemas';
import type { RunRecord, RunStore } from '../ports/run-store.js';
import type { ShadowComparisonStore, ShadowPair, StoredShadowComparison } from '../ports/shadow-comparison-store.js';
import { compareShadowRuns, type ShadowComparisonResult } from './compare-runs.js';

/** What {@link settleShadowComparison} reads and files with. */
export interface ShadowComparisonDeps {
  readonly runs: Pick<RunStore, 'get' | 'listSteps'>;
  readonly comparisons: ShadowComparisonStore;
  /** told once per filed verdict (the `baton_shadow_comparisons_total{result}` metric) */
  readonly onCompared?: (result: 'MATCH' | 'DIFFERENT') => void;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** The comparison of a finished pair (`undefined` while either runs): status, error, output and step trace. */
export async function comparePair(runs: Pick<RunStore, 'listSteps'>, primary: RunRecord, shadow: RunRecord): Promise<ShadowComparisonResult | undefined> {
  if (!isTerminalRunStatus(primary.status) || !isTerminalRunStatus(shadow.status)) return undefined;
  const [primarySteps, shadowSteps] = await Promise.all([runs.listSteps(primary.tenant, primary.runId), runs.listSteps(shadow.tenant, shadow.runId)]);
  return compareShadowRuns(
    { status: primary.status, steps: primarySteps, ...(primary.output === undefined ? {} : { output: primary.output }), ...(primary.error ? { error: primary.error } : {}) },
    { status: shadow.status, steps: shadowSteps, ...(shadow.output === undefined ? {} : { output: shadow.output }), ...(shadow.error ? { error: shadow.error } : {}) },
  );
}

/** Created to finished, in ms (`null` without a finish time). */
function latencyMs(run: RunRecord): number | null {
  if (run.completedAt === undefined) return null;
  const ms = Date.parse(run.completedAt) - Date.parse(run.createdAt);
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}

/** The pair a primary and its shadow form. */
export function shadowPairOf(primary: RunRecord): ShadowPair | undefined {
  if (primary.shadow?.role !== 'primary') return undefined;
  return { workflow: primary.workflow, primaryRunId: primary.runId, shadowRunId: primary.shadow.shadowRunId, primaryEngine: primary.engine, shadowEngine: primary.shadow.shadowEngine };
}

/**
 * Settles the comparison of the pair run `runId` (a primary or a shadow) belongs to: `undefined` for
 * a run without a shadow link, PENDING while either run is unfinished, else the filed verdict (filing
 * it when nobody has). `known` is the run when the caller holds it already.
 */
export async function settleShadowComparison(deps: ShadowComparisonDeps, tenant: string, runId: string, known?: RunRecord): Promise<StoredShadowComparison | undefined> {
  const run = known ?? (await deps.runs.get(tenant, runId));
  if (!run?.shadow) return undefined;
  const other = await deps.runs.get(tenant, run.shadow.role === 'primary' ? run.shadow.shadowRunId : run.shadow.primaryRunId);
  const [primary, shadow] = run.shadow.role === 'primary' ? [run, other] : [other, run];
  if (!primary || !shadow) return undefined;
  const pair = shadowPairOf(primary);
  if (!pair) return undefined;
  if (!isTerminalRunStatus(primary.status) || !isTerminalRunStatus(shadow.status)) return { comparison: 'PENDING' };
  const filed = await deps.comparisons.get(tenant, primary.runId);
  if (filed && filed.comparison !== 'PENDING') return filed;
  const compared = await comparePair(deps.runs, primary, shadow);
  if (!compared) return { comparison: 'PENDING' };
  const verdict = {
    ...pair,
    comparison: compared.result,
    ...(compared.result === 'DIFFERENT' ? { firstDifference: compared.firstDifference } : {}),
    primaryLatencyMs: latencyMs(primary),
    shadowLatencyMs: latencyMs(shadow),
    comparedAt: (deps.clock ?? (() => new Date()))().toISOString(),
  };
  if (await deps.comparisons.record(tenant, verdict)) {
    deps.onCompared?.(compared.result);
    return compared.result === 'DIFFERENT' ? { comparison: 'DIFFERENT', firstDifference: compared.firstDifference } : { comparison: 'MATCH' };
  }
  // Another caller filed it first: its verdict stands.
  return (await deps.comparisons.get(tenant, primary.runId)) ?? { comparison: compared.result };
}
