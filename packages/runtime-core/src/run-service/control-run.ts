import type { JsonValue, RunStatus } from '@baton/event-schemas';
import { BatonError, isBatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { runCanceledError } from '../interpreter/terminal-outcome.js';
import { planRunControl, type RunControlAction } from '../run-control/plan-run-control.js';
import type { EngineCapabilities } from '../engine/engine-capabilities.js';
import type { CancelOutcome } from '../engine/workflow-engine.js';
import { engineOf, withRunEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';

/** The body of a run-control request. */
export interface RunControlBody {
  readonly reason: string;
  /** resume only: the value the current wait resolves with */
  readonly response?: JsonValue;
}

/**
 * What run control answers: the run and its status after the operation; `CANCEL_REQUESTED` when the
 * engine accepted a cancel but the run had not settled in time (its projection follows the run).
 */
export interface RunControlResult {
  readonly runId: string;
  readonly status: RunStatus | 'CANCEL_REQUESTED';
}

/** How long a cancel waits for a run that cancels asynchronously (Temporal) to settle. */
export const DEFAULT_CANCEL_SETTLE_MS = 10_000;

const NOT_TERMINAL: readonly RunStatus[] = ['RUNNING', 'WAITING'];

/**
 * The error of a failed engine call. A cancel on an engine with `asyncCancel` (Temporal) asked the
 * run's remote authority, so its failure is that authority's refusal (nothing changed):
 * `WORKFLOW_TEMPORAL_CANCEL_FAILED`, the SPEC-api code.
 */
function engineFailure(action: RunControlAction, engine: string, capabilities: EngineCapabilities | undefined, runId: string, err: unknown): BatonError {
  const cause = (err as Error)?.message ?? String(err);
  if (action === 'cancel' && capabilities?.asyncCancel) {
    return new BatonError(ErrorCode.WORKFLOW_TEMPORAL_CANCEL_FAILED, `Temporal refused to cancel run ${runId}; nothing was changed: ${cause}`, {
      details: { runId, engine, ...(isBatonError(err) ? { cause: err.code } : {}) },
      cause: err,
    });
  }
  if (isBatonError(err)) return err;
  return new BatonError(ErrorCode.ENGINE_DELIVERY_FAILED, `the '${engine}' engine failed to ${action} run ${runId}: ${cause}`, {
    details: { runId, engine, action },
    cause: err,
  });
}

/**
 * Cancels, retries or resumes a run. Only reads happen before `planRunControl` decides; a refusal
 * (`RUN_ALREADY_FINISHED`, `RUN_NOT_FAILED`, `RUN_NOT_WAITING`, `WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED`,
 * `ENGINE_UNAVAILABLE`) changes nothing. A cancel asks the engine first and changes the projection
 * only after the engine agreed (`WORKFLOW_TEMPORAL_CANCEL_FAILED` otherwise).
 */
export async function controlRun(
  ctx: RuntimeContext,
  tenant: string,
  runId: string,
  action: RunControlAction,
  body: RunControlBody,
  options: { readonly cancelSettleMs?: number } = {},
): Promise<RunControlResult> {
  const run = await ctx.runs.get(tenant, runId);
  if (!run) throw new BatonError(ErrorCode.RUN_NOT_FOUND, `run ${runId} not found`, { details: { runId } });
  const openWaitCount = action === 'resume' ? (await ctx.waits.listForRun(tenant, runId, { status: 'WAITING' })).length : 0;
  const engine = engineOf(ctx.engines, run.engine);
  const plan = planRunControl({ runId, engine: run.engine, status: run.status, openWaitCount }, action, engine?.capabilities);
  if (plan.kind === 'refuse') throw plan.error;
  if ((action === 'retry' && !engine?.retry) || (action === 'resume' && !engine?.resume)) {
    throw new BatonError(ErrorCode.ENGINE_ACTION_UNSUPPORTED, `the '${run.engine}' engine declares ${action} but does not implement it`, {
      details: { action, engine: run.engine, runId },
    });
  }

  let cancelOutcome: CancelOutcome | void = undefined;
  try {
    await withRunEngine(ctx.engines, run, async (e, ref) => {
      if (action === 'cancel') cancelOutcome = await e.cancel(ref, body.reason, { settleMs: options.cancelSettleMs ?? DEFAULT_CANCEL_SETTLE_MS });
      else if (action === 'retry') await e.retry!(ref, body.reason);
      else await e.resume!(ref, { reason: body.reason, ...(body.response === undefined ? {} : { response: body.response }) });
    });
  } catch (err) {
    throw engineFailure(action, run.engine, engine?.capabilities, runId, err);
  }

  const outcome = cancelOutcome as CancelOutcome | void;
  if (outcome?.settled === 'finished') {
    // The engine is the authority: the run completed before the cancel applied.
    throw new BatonError(ErrorCode.RUN_ALREADY_FINISHED, `run ${runId} finished (${outcome.status}) before the cancel applied`, {
      details: { runId, status: outcome.status },
    });
  }
  if (outcome?.settled === 'requested') return { runId, status: 'CANCEL_REQUESTED' };
  // Only a cancel the engine confirmed (or applied itself) is written: never CANCELED before the engine says so.
  if (action === 'cancel') {
    const at = ctx.clock().toISOString();
    const canceled = await ctx.runs.update(
      tenant,
      runId,
      {
        status: 'CANCELED',
        // The same error the interpreter records for a cancelled run, whichever engine ran it.
        error: runCanceledError(body.reason),
        completedAt: at,
        currentStepId: null,
        updatedAt: at,
      },
      { statusIn: NOT_TERMINAL },
    );
    await ctx.waits.closeAllForRun(tenant, runId, 'CANCELED', at);
    await ctx.tasks.cancelForRun(tenant, runId, at);
    if (canceled) return { runId, status: canceled.status };
  }
  const after = await ctx.runs.get(tenant, runId);
  return { runId, status: after?.status ?? run.status };
}
