import { isTerminalRunStatus, type PlannedRun, type UpgradePlan } from '@baton/event-schemas';
import { BatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { classifyRun } from '../upgrade/classify-run.js';
import { diffStepTrees } from '../upgrade/step-tree-diff.js';
import type { RuntimeContext } from './runtime-context.js';

const PAGE = 200;

/**
 * `GET /v1/workflows/:name/upgrade-plan`: the step-tree diff of `from` → `to` and the class of every
 * unfinished run of `from` (both engines, shadow runs excluded), oldest listed last like `GET /v1/runs`.
 * `WORKFLOW_NOT_FOUND` when either version is not published for the tenant.
 */
export async function planUpgrade(ctx: Pick<RuntimeContext, 'definitions' | 'runs' | 'waits'>, tenant: string, workflow: string, from: string, to: string): Promise<UpgradePlan> {
  const [before, after] = await Promise.all([ctx.definitions.get(tenant, workflow, from), ctx.definitions.get(tenant, workflow, to)]);
  for (const [version, found] of [[from, before], [to, after]] as const) {
    if (!found) throw new BatonError(ErrorCode.WORKFLOW_NOT_FOUND, `version ${version} of '${workflow}' is not published`, { details: { workflow, version } });
  }
  const diff = diffStepTrees(before!.definition, after!.definition);
  const versions = { from: before!, to: after!, diff };
  const runs: PlannedRun[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.runs.list(tenant, { workflow, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
    for (const run of page.items) {
      if (run.version !== from || isTerminalRunStatus(run.status)) continue;
      const waits = await ctx.waits.listForRun(tenant, run.runId, { status: 'WAITING' });
      const classification = classifyRun(versions, { status: run.status, input: run.input, waits });
      runs.push({ runId: run.runId, engine: run.engine, status: run.status, ...classification });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return { from, to, diff, runs };
}
