import type { ShadowReport } from '@baton/event-schemas';
import { BatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { NO_SHADOW_FIGURES } from '../ports/shadow-figures-source.js';
import type { RuntimeContext } from './runtime-context.js';

/** How many differences the shadow report lists (the newest). */
export const SHADOW_REPORT_DIFFERENCES = 50;

/**
 * `GET /v1/workflows/:name/shadow`: the filed comparisons of the tenant's workflow, every shadow
 * engine together (the rollout gate counts only Temporal shadows), with its newest differences;
 * `WORKFLOW_NOT_FOUND` for a workflow never published.
 */
export async function shadowReport(ctx: RuntimeContext, tenant: string, workflow: string): Promise<ShadowReport> {
  if ((await ctx.definitions.listVersions(tenant, workflow)).length === 0) {
    throw new BatonError(ErrorCode.WORKFLOW_NOT_FOUND, `workflow '${workflow}' not found`, { details: { workflow } });
  }
  const [figures, differences] = await Promise.all([
    ctx.shadowFigures ? ctx.shadowFigures.figures(tenant, workflow) : NO_SHADOW_FIGURES,
    ctx.shadowComparisons ? ctx.shadowComparisons.differences(tenant, workflow, SHADOW_REPORT_DIFFERENCES) : [],
  ]);
  return { ...figures, differences };
}
