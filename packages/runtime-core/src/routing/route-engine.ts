import type { EngineKind, EnginePolicy } from '@baton/event-schemas';
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
