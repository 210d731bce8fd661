import type { EngineKind } from '@baton/event-schemas';
import { STABLE_BUCKETS, stableBucket } from '../hashing/stable-bucket.js';
import { routeKeyString, type RouteKey } from '../routing/route-engine.js';
import { otherEngine } from './shadow-link.js';

/** The `shadow` part of a workflow's policy: the share of new runs shadowed, and on which engine. */
export interface ShadowPolicy {
  /** 0–100, in hundredths */
  readonly percent: number;
  /** the engine shadows run on @default the engine the primary does not run on */
  readonly engine?: EngineKind;
}

/** Number of buckets a shadow percentage covers. */
export function shadowBuckets(percent: number): number {
  return Math.round((Math.min(100, Math.max(0, percent)) * STABLE_BUCKETS) / 100);
}

/**
 * Decides whether a new run gets a shadow and on which engine: the routing hash
 * (`stableBucket`) of `shadow:tenant:workflow:executionKey` under `percent`, so the same key is
 * shadowed everywhere and raising the percentage only adds runs. The `shadow:` salt makes the
 * shadowed share independent of the Temporal share (as `version:` does for weighted versions).
 * No shadow when the shadow engine is the primary's own (a shadow must run on the other engine).
 */
export function shadowEngineFor(policy: ShadowPolicy | undefined, key: RouteKey, primaryEngine: EngineKind): EngineKind | undefined {
  if (!policy) return undefined;
  const engine = policy.engine ?? otherEngine(primaryEngine);
  if (engine === primaryEngine) return undefined;
  return stableBucket(`shadow:${routeKeyString(key)}`) < shadowBuckets(policy.percent) ? engine : undefined;
}
