import type { EngineKind, EnginePolicy, ShadowPolicy } from '@baton/event-schemas';
import { STABLE_BUCKETS, stableBucket } from '../hashing/stable-bucket.js';

/** What identifies a new run for routing. */
export interface RouteKey {
  readonly tenant: string;
  readonly workflow: string;
  /** the start's execution key (the run id when the caller gave none) */
  readonly executionKey: string;
}

/** The string routing hashes: `tenant:workflow:executionKey`. */
export function routeKeyString(key: RouteKey): string {
  return `${key.tenant}:${key.workflow}:${key.executionKey}`;
}

/** Number of buckets (of {@link STABLE_BUCKETS}) a percentage sends to Temporal. */
export function temporalBuckets(temporalPercent: number): number {
  return Math.round((Math.min(100, Math.max(0, temporalPercent)) * STABLE_BUCKETS) / 100);
}

/**
 * Temporal's share (0–100) of new runs under an engine policy: `db` 0, `temporal` 100, `percent`
 * its percentage; no policy follows `defaultEngine`. The rollout gate compares it before and after a change.
 */
export function temporalPercentOf(policy: EnginePolicy | undefined, defaultEngine: EngineKind): number {
  const effective: EnginePolicy = policy ?? { type: defaultEngine };
  switch (effective.type) {
    case 'db':
      return 0;
    case 'temporal':
      return 100;
    case 'percent':
      return Math.min(100, Math.max(0, effective.temporalPercent));
  }
}

/**
 * The engine of a new run's shadow, or `undefined` when the run is not shadowed. The same stable
 * hash as {@link routeEngine} chooses, from the other end of the bucket range: a run is shadowed
 * when `stableBucket(key) >= 10000 - percent * 100`. Temporal takes the lowest buckets, so while the
 * Temporal share plus the shadow share is at most 100 % every shadowed run is a Postgres primary
 * with a Temporal shadow, the comparisons the rollout gate reads. The shadow's engine is
 * `shadow.engine`, else the engine the primary is not on; a shadow on the primary's own engine is none.
 */
export function routeShadow(shadow: ShadowPolicy | undefined, primary: EngineKind, key: RouteKey): EngineKind | undefined {
  if (shadow === undefined) return undefined;
  const engine: EngineKind = shadow.engine ?? (primary === 'db' ? 'temporal' : 'db');
  if (engine === primary) return undefined;
  return stableBucket(routeKeyString(key)) >= STABLE_BUCKETS - temporalBuckets(shadow.percent) ? engine : undefined;
}

/**
 * Picks the engine of a new run: `db` and `temporal` policies are fixed; `percent` sends a run to
 * Temporal when `stableBucket("tenant:workflow:executionKey") < temporalPercent * 100`, so the same
 * key always routes the same way and raising the percentage only moves runs from db to temporal.
 */
export function routeEngine(policy: EnginePolicy, key: RouteKey): EngineKind {
  switch (policy.type) {
    case 'db':
      return 'db';
    case 'temporal':
      return 'temporal';
    case 'percent':
      return stableBucket(routeKeyString(key)) < temporalBuckets(policy.temporalPercent) ? 'temporal' : 'db';
  }
}

/** Engines a policy can route some run to; an explicit `engine` on a start must be one of them. */
export function enginesReachable(policy: EnginePolicy): readonly EngineKind[] {
  switch (policy.type) {
    case 'db':
      return ['db'];
    case 'temporal':
      return ['temporal'];
    case 'percent': {
      const buckets = temporalBuckets(policy.temporalPercent);
      if (buckets <= 0) return ['db'];
      if (buckets >= STABLE_BUCKETS) return ['temporal'];
      return ['db', 'temporal'];
    }
  }
}
