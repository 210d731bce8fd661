import type { EngineKind, ShadowFigures } from '@baton/event-schemas';

/** Reads the shadow comparison figures of a workflow (the rollout gate's evidence). */
export interface ShadowFiguresSource {
  /** Figures of the tenant's workflow; `shadowEngine` counts only comparisons whose shadow ran there. */
  figures(tenant: string, workflow: string, options?: { readonly shadowEngine?: EngineKind }): Promise<ShadowFigures>;
}

/** Figures when nothing was compared (what a runtime without a source measures). */
export const NO_SHADOW_FIGURES: ShadowFigures = {
  compared: 0,
  matched: 0,
  different: 0,
  pending: 0,
  discrepancyRate: 0,
  latency: { primaryP50Ms: null, shadowP50Ms: null, ratio: null },
};
