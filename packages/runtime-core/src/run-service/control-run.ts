import type { JsonValue, RunStatus } from '@baton/event-schemas';
import { BatonError, isBatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { STEP_ERROR_CODE } from '../interpreter/workflow-errors.js';
import { planRunControl, type RunControlAction } from '../run-control/plan-run-control.js';
import { engineOf, withRunEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';

/** The body of a run-control request. */
export interface RunControlBody {
  readonly reason: string;
  /** resume only: the value the current wait resolves with */
  readonly response?: JsonValue;
}

/** What run control answers: the run and its status after the operation. */
export interface RunControlResult {
  readonly runId: string;
  readonly status: RunStatus;
}

const NOT_TERMINAL: readonly RunStatus[] = ['RUNNING', 'WAITING'];

function engineFailure(action: RunControlAction, engine: string, runId: string, err: unknown): BatonError {
  const cause = (err as Error)?.message ?? String(err);
  if (action === 'cancel' && engine === 'temporal') {
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
export async function controlRun(ctx: RuntimeContext, tenant: string, runId: string, action: RunControlAction, body: RunControlBody): Promise<RunControlResult> {
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

  try {
    await withRunEngine(ctx.engines, run, async (e, ref) => {
      if (action === 'cancel') await e.cancel(ref, body.reason);
      else if (action === 'retry') await e.retry!(ref, body.reason);
      else await e.resume!(ref, { reason: body.reason, ...(body.response === undefined ? {} : { response: body.response }) });
    });
  } catch (err) {
    throw engineFailure(action, run.engine, runId, err);
  }

  if (action === 'cancel') {
    const at = ctx.clock().toISOString();
    const canceled = await ctx.runs.update(
      tenant,
      runId,
      {
        status: 'CANCELED',
        // The same error the interpreter records for a cancelled run, whichever engine ran it.
        error: { category: 'Canceled', code: STEP_ERROR_CODE.RUN_CANCELED, message: body.reason },
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
