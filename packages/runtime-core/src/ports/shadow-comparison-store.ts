import type { EngineKind, ShadowComparison, ShadowDifference, ShadowReportDifference } from '@baton/event-schemas';

/** A primary run and its shadow, as their comparison is filed. */
export interface ShadowPair {
  readonly workflow: string;
  readonly primaryRunId: string;
  readonly shadowRunId: string;
  readonly primaryEngine: EngineKind;
  readonly shadowEngine: EngineKind;
}

/** The verdict on a finished pair, as {@link ShadowComparisonStore.record} files it. */
export interface ShadowVerdict extends ShadowPair {
  readonly comparison: 'MATCH' | 'DIFFERENT';
  readonly firstDifference?: ShadowDifference;
  /** created to finished, of the primary and of the shadow (`null` when a time is missing) */
  readonly primaryLatencyMs: number | null;
  readonly shadowLatencyMs: number | null;
  /** ISO-8601 */
  readonly comparedAt: string;
}

/** A pair's comparison as filed. */
export interface StoredShadowComparison {
  readonly comparison: ShadowComparison;
  readonly firstDifference?: ShadowDifference;
}

/**
 * Where shadow comparisons are filed: one row per shadowed primary run, PENDING until both runs
 * finished, then MATCH or DIFFERENT for good. The shadow report and the rollout gate read the same rows.
 */
export interface ShadowComparisonStore {
  /** Files a pair as PENDING (when its shadow is created); nothing when the pair is already filed. */
  open(tenant: string, pair: ShadowPair): Promise<void>;
  /** Files a verdict unless one is filed already; `true` when this call filed it (exactly one caller does). */
  record(tenant: string, verdict: ShadowVerdict): Promise<boolean>;
  /** The filed comparison of a primary run, if any. */
  get(tenant: string, primaryRunId: string): Promise<StoredShadowComparison | undefined>;
  /** The workflow's most recent differences, newest first. */
  differences(tenant: string, workflow: string, limit: number): Promise<ShadowReportDifference[]>;
}
