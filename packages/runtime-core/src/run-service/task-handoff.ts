import { BatonError, isBatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import type { TaskCloseReason } from '@baton/event-schemas';
import type { HumanTaskRecord } from '../ports/task-store.js';
import { closeReasonOf } from './task-closed-error.js';
import { withRunEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';

/** Defaults of the task hand-off outbox. */
export const TASK_HANDOFF_DEFAULTS = {
  /** a recorded completion the request did not hand off is claimed by the drainer this long after it was recorded */
  graceMs: 10_000,
  /** a claimed hand-off is due again this long after the claim (its lease) */
  retryAfterMs: 15_000,
  /** hand-offs claimed per drain */
  batchSize: 50,
} as const;

/** Engine answers that refuse the response itself: the task is reopened for another answer. */
const RESPONSE_REFUSED: ReadonlySet<string> = new Set([ErrorCode.VALIDATION_ERROR]);
/** Engine answer saying the run closed the task (its timeout, the run's cancel) before it took the completion. */
const CLOSED_FIRST = ErrorCode.TASK_ALREADY_CLOSED;
/** Engine answers saying the run no longer waits for this task (finished, moved on, or already took it before a crash). */
const NOT_WAITING: ReadonlySet<string> = new Set([ErrorCode.TASK_NOT_FOUND, ErrorCode.RUN_NOT_FOUND, ErrorCode.RUN_ALREADY_FINISHED, ErrorCode.WORKFLOW_ENGINE_AUTHORITY]);

/** What one hand-off attempt came to. */
export type HandoffOutcome =
  | { readonly kind: 'delivered' }
  /** the engine refused deterministically; `error` is its answer */
  | { readonly kind: 'refused'; readonly reason: 'response' | 'not-waiting'; readonly error: BatonError }
  /** the run closed the task before it took the completion: the completion lost (`decideTaskCompletion`) */
  | { readonly kind: 'closed'; readonly reason: TaskCloseReason; readonly error: BatonError }
  /** the engine could not be reached or failed; the completion stays pending for the drainer */
  | { readonly kind: 'failed'; readonly error: BatonError };

function asBatonError(task: HumanTaskRecord, err: unknown): BatonError {
  if (isBatonError(err)) return err;
  return new BatonError(ErrorCode.ENGINE_DELIVERY_FAILED, `the '${task.engine}' engine did not accept task ${task.taskId}: ${(err as Error)?.message ?? String(err)}`, {
    details: { taskId: task.taskId, runId: task.runId, engine: task.engine },
    cause: err,
  });
}

/**
 * Hands a recorded completion (a `PENDING` hand-off) to the run's engine once. Engines are idempotent
 * by task id, so a second hand-off of a completion the run already took changes nothing.
 */
export async function handOffCompletion(ctx: RuntimeContext, task: HumanTaskRecord): Promise<HandoffOutcome> {
  try {
    await withRunEngine(ctx.engines, task, (engine, ref) =>
      engine.completeHumanTask(ref, {
        taskId: task.taskId,
        response: task.response ?? null,
        completedAt: task.completedAt ?? ctx.clock().toISOString(),
        ...(task.completedBy === undefined ? {} : { completedBy: task.completedBy }),
      }),
    );
  } catch (err) {
    const error = asBatonError(task, err);
    if (error.code === CLOSED_FIRST) return { kind: 'closed', reason: closeReasonOf(error), error };
    if (RESPONSE_REFUSED.has(error.code)) return { kind: 'refused', reason: 'response', error };
    if (NOT_WAITING.has(error.code)) return { kind: 'refused', reason: 'not-waiting', error };
    return { kind: 'failed', error };
  }
  await ctx.tasks.settleHandoff(task.tenant, task.taskId, 'DELIVERED');
  return { kind: 'delivered' };
}

/** Options of {@link drainTaskHandoffs}. */
export interface DrainTaskHandoffsOptions {
  /** @default TASK_HANDOFF_DEFAULTS.batchSize */
  readonly limit?: number;
  /** @default TASK_HANDOFF_DEFAULTS.retryAfterMs */
  readonly retryAfterMs?: number;
}

/** What one drain did. */
export interface DrainTaskHandoffsResult {
  readonly claimed: number;
  readonly delivered: number;
  /** the engine refused the response: the task is OPEN again */
  readonly reopened: number;
  /** the run no longer waits for the task (or closed it first: the task is CANCELED with its reason): the hand-off is `REFUSED` */
  readonly refused: number;
  /** still pending (engine unavailable or failing), each with why */
  readonly failed: readonly { readonly tenant: string; readonly taskId: string; readonly code: string; readonly message: string }[];
}

/**
 * The outbox drainer: claims the due `PENDING` hand-offs of every tenant (those whose request crashed
 * or failed to reach the engine) and hands each to its run's engine, at least once. Safe to run in
 * several processes at once (claims are leases) and as often as wanted.
 */
export async function drainTaskHandoffs(ctx: RuntimeContext, options: DrainTaskHandoffsOptions = {}): Promise<DrainTaskHandoffsResult> {
  const now = ctx.clock();
  const retryAt = new Date(now.getTime() + (options.retryAfterMs ?? TASK_HANDOFF_DEFAULTS.retryAfterMs));
  const claimed = await ctx.tasks.claimHandoffs(now.toISOString(), retryAt.toISOString(), options.limit ?? TASK_HANDOFF_DEFAULTS.batchSize);
  let delivered = 0;
  let reopened = 0;
  let refused = 0;
  const failed: DrainTaskHandoffsResult['failed'][number][] = [];
  for (const task of claimed) {
    const outcome = await handOffCompletion(ctx, task);
    if (outcome.kind === 'delivered') delivered++;
    else if (outcome.kind === 'closed') {
      await ctx.tasks.close(task.tenant, task.taskId, ctx.clock().toISOString(), outcome.reason);
      refused++;
    } else if (outcome.kind === 'refused' && outcome.reason === 'response') {
      await ctx.tasks.reopen(task.tenant, task.taskId);
      reopened++;
    } else if (outcome.kind === 'refused') {
      await ctx.tasks.settleHandoff(task.tenant, task.taskId, 'REFUSED', `${outcome.error.code}: ${outcome.error.message}`);
      refused++;
    } else {
      await ctx.tasks.noteHandoffFailure(task.tenant, task.taskId, `${outcome.error.code}: ${outcome.error.message}`);
      failed.push({ tenant: task.tenant, taskId: task.taskId, code: outcome.error.code, message: outcome.error.message });
    }
  }
  return { claimed: claimed.length, delivered, reopened, refused, failed };
}
