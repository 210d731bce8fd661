import {
  isTerminalRunStatus,
  type ListUpgradesResponse,
  type MovedRun,
  type SkippedRun,
  type UpgradeApplyBody,
  type UpgradeApplyResult,
} from '@baton/event-schemas';
import type { RunUpgradeOutcome, RunUpgradeRequest, UpgradeVersion } from '../engine/workflow-engine.js';
import { BatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import type { RunRecord } from '../ports/run-store.js';
import type { UpgradeAuditStore } from '../ports/upgrade-audit-store.js';
import { classifyRun, type UpgradeVersions } from '../upgrade/classify-run.js';
import { diffStepTrees } from '../upgrade/step-tree-diff.js';
import { withRunEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';

const PAGE = 200;
const DEFAULT_AUDIT_LIMIT = 100;

type ApplyContext = Pick<RuntimeContext, 'definitions' | 'runs' | 'waits' | 'engines' | 'clock'> & { readonly upgradeAudits?: UpgradeAuditStore };

async function requireVersion(ctx: ApplyContext, tenant: string, workflow: string, version: string): Promise<UpgradeVersion> {
  const found = await ctx.definitions.get(tenant, workflow, version);
  if (!found) throw new BatonError(ErrorCode.WORKFLOW_NOT_FOUND, `version ${version} of '${workflow}' is not published`, { details: { workflow, version } });
  return { version: found.version, hash: found.hash, definition: found.definition };
}

/** The runs an apply considers: the requested ids (unknown ones answered `RUN_NOT_FOUND`), else every unfinished run of `from`. */
async function candidates(ctx: ApplyContext, tenant: string, workflow: string, from: string, runIds: readonly string[] | undefined, skipped: SkippedRun[]): Promise<RunRecord[]> {
  if (runIds) {
    const found: RunRecord[] = [];
    for (const runId of new Set(runIds)) {
      const run = await ctx.runs.get(tenant, runId);
      if (!run || run.workflow !== workflow || run.shadow?.role === 'shadow') skipped.push({ runId, class: 'CANNOT_MOVE', reason: 'RUN_NOT_FOUND' });
      else found.push(run);
    }
    return found;
  }
  const runs: RunRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.runs.list(tenant, { workflow, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
    runs.push(...page.items.filter((run) => run.version === from && !isTerminalRunStatus(run.status)));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return runs;
}

/**
 * `POST /v1/workflows/:name/upgrade`: moves the in-flight runs of `from` that the planner classes
 * `MOVES_NOW` to `to`, at their current wait, with the same variables, on their own engine. Each run is
 * classified from its projection first (the others are reported skipped with their class, untouched);
 * its engine then decides again under the run's lock (`planRunUpgrade`), so a run that moved on since
 * is skipped with its new class, and a run already moved (no longer on `from`) is never moved twice.
 * Each run handed to its engine gets an audit record (MOVED or SKIPPED; `actor` is the API key name).
 * `dryRun` reports what would move and changes nothing. Runs are handled one at a time, in
 * `GET /v1/runs` order; a run whose engine is not wired or fails is skipped `ENGINE_UNAVAILABLE`.
 */
export async function applyUpgrade(ctx: ApplyContext, tenant: string, workflow: string, body: UpgradeApplyBody, actor: string): Promise<UpgradeApplyResult> {
  const { from, to } = body;
  if (from === to) throw new BatonError(ErrorCode.VALIDATION_ERROR, '`from` and `to` are the same version', { details: { issues: [{ path: 'to', message: 'must differ from `from`', code: 'custom' }] } });
  const before = await requireVersion(ctx, tenant, workflow, from);
  const after = await requireVersion(ctx, tenant, workflow, to);
  const versions: UpgradeVersions = { from: before, to: after, diff: diffStepTrees(before.definition, after.definition) };
  const moved: MovedRun[] = [];
  const skipped: SkippedRun[] = [];
  const dryRun = body.dryRun === true;
  for (const run of await candidates(ctx, tenant, workflow, from, body.runIds, skipped)) {
    const { runId, engine } = run;
    if (run.version !== from) {
      skipped.push({ runId, engine, class: 'CANNOT_MOVE', reason: 'NOT_ON_FROM_VERSION' });
      continue;
    }
    if (isTerminalRunStatus(run.status)) {
      skipped.push({ runId, engine, class: 'CANNOT_MOVE', reason: 'RUN_FINISHED' });
      continue;
    }
    const waits = await ctx.waits.listForRun(tenant, runId, { status: 'WAITING' });
    const planned = classifyRun(versions, { status: run.status, input: run.input, waits });
    if (planned.class !== 'MOVES_NOW') {
      skipped.push({ runId, engine, class: planned.class, reason: planned.reason ?? 'NOT_AT_A_WAIT', ...(planned.stepPath !== undefined ? { stepPath: planned.stepPath } : {}) });
      continue;
    }
    if (dryRun) {
      moved.push({ runId, engine });
      continue;
    }
    const at = ctx.clock().toISOString();
    const request: RunUpgradeRequest = { from: before, to: after, audit: { actor, at } };
    let outcome: RunUpgradeOutcome;
    try {
      outcome = await withRunEngine(ctx.engines, run, (engineOf, ref) => {
        if (!engineOf.upgradeRun) throw new BatonError(ErrorCode.ENGINE_UNAVAILABLE, `the '${engine}' engine cannot move runs`, { details: { engine, runId } });
        return engineOf.upgradeRun(ref, request);
      });
    } catch (error) {
      if (!(error instanceof BatonError)) throw error;
      skipped.push({ runId, engine, class: 'CANNOT_MOVE', reason: 'ENGINE_UNAVAILABLE' });
      continue;
    }
    if (outcome.moved) moved.push({ runId, engine });
    else skipped.push({ runId, engine, class: outcome.class, reason: outcome.reason, ...(outcome.stepPath !== undefined ? { stepPath: outcome.stepPath } : {}) });
    if (!outcome.audited && ctx.upgradeAudits) {
      await ctx.upgradeAudits.record(tenant, {
        workflow,
        runId,
        engine,
        from,
        to,
        actor,
        at,
        outcome: outcome.moved ? 'MOVED' : 'SKIPPED',
        ...(outcome.moved ? {} : { reason: outcome.reason }),
      });
    }
  }
  return { from, to, dryRun, moved, skipped };
}

/** `GET /v1/workflows/:name/upgrades`: the workflow's upgrade audit records, newest first; `WORKFLOW_NOT_FOUND` for a workflow the tenant never published. */
export async function listUpgrades(ctx: ApplyContext, tenant: string, workflow: string, query: { runId?: string; limit?: number }): Promise<ListUpgradesResponse> {
  if ((await ctx.definitions.listVersions(tenant, workflow)).length === 0) {
    throw new BatonError(ErrorCode.WORKFLOW_NOT_FOUND, `workflow '${workflow}' is not published`, { details: { workflow } });
  }
  if (!ctx.upgradeAudits) return { items: [] };
  return { items: await ctx.upgradeAudits.list(tenant, workflow, { limit: query.limit ?? DEFAULT_AUDIT_LIMIT, ...(query.runId !== undefined ? { runId: query.runId } : {}) }) };
}
