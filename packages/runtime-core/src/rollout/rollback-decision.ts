import type { EngineKind, RollbackPolicy, WorkflowPolicy } from '@baton/event-schemas';
import { temporalPercentOf } from '../routing/route-engine.js';

/** Finished runs of one engine in the rollback window. */
export interface EngineRunWindow {
  /** SUCCEEDED + FAILED runs (cancelled runs are an operator's decision, not the engine's) */
  readonly finished: number;
  readonly failed: number;
  /** p99 of the runs' duration (created → completed), `null` when none finished */
  readonly p99Ms: number | null;
}

/** The window of a workflow's finished runs on each engine. */
export interface RollbackWindow {
  readonly db: EngineRunWindow;
  readonly temporal: EngineRunWindow;
}

/** Which bound a breach crossed (the `trigger` label of `baton_rollout_rollbacks_total`). */
export type RollbackTrigger = 'error_rate' | 'p99_latency';

/** Whether the window breaches the rollback policy, and why in words. */
export type RollbackDecision =
  | { readonly breach: false; readonly reason: string }
  | { readonly breach: true; readonly trigger: RollbackTrigger; readonly reason: string };

const rate = (w: EngineRunWindow): number => (w.finished === 0 ? 0 : w.failed / w.finished);
const fmt = (n: number): string => String(Math.round(n * 10_000) / 10_000);

/**
 * Judges a window: with fewer than `minRuns` finished runs on either engine nothing is judged.
 * Breached when Temporal's error rate exceeds `maxErrorRateRatio` times Postgres's (so any Temporal
 * failure breaches when Postgres had none), or its p99 duration exceeds `maxP99LatencyRatio` times
 * Postgres's. The error rate is checked first; the reason names the measured figures.
 */
export function evaluateRollback(policy: RollbackPolicy, window: RollbackWindow): RollbackDecision {
  const { db, temporal } = window;
  if (db.finished < policy.minRuns || temporal.finished < policy.minRuns) {
    return { breach: false, reason: `not enough finished runs (db ${db.finished}, temporal ${temporal.finished}, minRuns ${policy.minRuns})` };
  }
  const dbRate = rate(db);
  const temporalRate = rate(temporal);
  if (temporalRate > 0 && temporalRate > policy.maxErrorRateRatio * dbRate) {
    return {
      breach: true,
      trigger: 'error_rate',
      reason: `Temporal error rate ${fmt(temporalRate)} (${temporal.failed}/${temporal.finished}) exceeds ${policy.maxErrorRateRatio}x Postgres ${fmt(dbRate)} (${db.failed}/${db.finished})`,
    };
  }
  if (db.p99Ms !== null && temporal.p99Ms !== null && temporal.p99Ms > policy.maxP99LatencyRatio * db.p99Ms) {
    return {
      breach: true,
      trigger: 'p99_latency',
      reason: `Temporal p99 ${fmt(temporal.p99Ms)} ms exceeds ${policy.maxP99LatencyRatio}x Postgres p99 ${fmt(db.p99Ms)} ms`,
    };
  }
  return { breach: false, reason: 'within bounds' };
}

/**
 * Whether the background rollback watches a workflow: its policy has `rollback` and Temporal has a
 * share of new runs (a workflow without an engine policy counts at `defaultEngine`'s 0 or 100).
 */
export function watchesRollback(policy: WorkflowPolicy, defaultEngine: EngineKind): policy is WorkflowPolicy & { rollback: RollbackPolicy } {
  return policy.rollback !== undefined && temporalPercentOf(policy.engine, defaultEngine) > 0;
}

/**
 * The policy after a rollback: Temporal's share of new runs is 0 (`{type: 'percent', temporalPercent: 0}`,
 * so raising it again is the same gated percent change); every other field, the rollback rule
 * included, is kept. Running runs are not touched: a run never changes engine.
 */
export function rolledBackPolicy(policy: WorkflowPolicy): WorkflowPolicy {
  return { ...policy, engine: { type: 'percent', temporalPercent: 0 } };
}

/** The actor the policy history records for an automatic rollback. */
export const ROLLBACK_ACTOR = 'baton-rollback';
