import type { CompleteTaskBody, CompleteTaskResponse } from '@baton/event-schemas';
import { BatonError, isBatonError, validationError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { jsonPointerToPath } from '../errors/json-pointer-path.js';
import { canonicalJson } from '../hashing/content-hash.js';
import { validateAgainstJsonSchema } from '../json-schema/validate-json-schema.js';
import type { HumanTaskRecord } from '../ports/task-store.js';
import { requireEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';
import { taskClosedBatonError } from './task-closed-error.js';
import { handOffCompletion, TASK_HANDOFF_DEFAULTS } from './task-handoff.js';
import { mirrorTaskCompletion } from './mirror-task-completion.js';

function alreadyCompleted(task: HumanTaskRecord): BatonError {
  // A task the run closed without a response (its timeout, the run's cancel): say how it ended.
  if (task.status === 'CANCELED') return taskClosedBatonError(task.taskId, task.closeReason ?? 'CANCELED', task.runId);
  return new BatonError(ErrorCode.TASK_ALREADY_COMPLETED, `task ${task.taskId} is ${task.status.toLowerCase()}`, { details: { taskId: task.taskId, status: task.status } });
}

/** The answer to a completion of a task that is no longer OPEN: the same response again is the same success, anything else 409. */
async function repeated(ctx: RuntimeContext, task: HumanTaskRecord, body: CompleteTaskBody, driveHandoff: boolean): Promise<CompleteTaskResponse> {
  if (task.status !== 'COMPLETED' || task.response === undefined || canonicalJson(task.response) !== canonicalJson(body.response)) throw alreadyCompleted(task);
  // A retry of a completion whose hand-off is still pending (the first request crashed or the
  // engine was down) drives the hand-off again; the drainer would otherwise do it later.
  if (driveHandoff && task.handoff === 'PENDING' && ctx.engines[task.engine]) await handOffCompletion(ctx, task);
  return { taskId: task.taskId, runId: task.runId, status: 'COMPLETED' };
}

/**
 * Completes a human task: `TASK_NOT_FOUND`; for a task already completed, the same response again
 * answers the same success and another one `TASK_ALREADY_COMPLETED`; a task the run closed first (its
 * timeout, the run's cancel) answers `TASK_ALREADY_CLOSED` with how it ended and shows that (CANCELED
 * with `closeReason`), also when the engine is the one that says so (`decideTaskCompletion`); `VALIDATION_ERROR` for a response
 * that does not satisfy the form schema (checked before anything changes). The completion is then
 * recorded durably together with a `PENDING` hand-off (the outbox entry; conditional, so one of two
 * racing completions wins) and handed to the run's engine. An engine that refuses it reopens the task
 * and answers its error; an engine that cannot be reached leaves the hand-off pending, and
 * `drainTaskHandoffs` delivers it later, at least once: a crash between recording and handing off
 * never strands the run.
 */
export async function completeTask(ctx: RuntimeContext, tenant: string, taskId: string, body: CompleteTaskBody): Promise<CompleteTaskResponse> {
  const task = await ctx.tasks.get(tenant, taskId);
  const run = task ? await ctx.runs.get(tenant, task.runId) : undefined;
  // A shadow's task is not a user's to complete: it takes its primary's completion.
  if (!task || run?.shadow?.role === 'shadow') throw new BatonError(ErrorCode.TASK_NOT_FOUND, `task ${taskId} not found`, { details: { taskId } });
  if (task.status !== 'OPEN') return repeated(ctx, task, body, true);
  const check = validateAgainstJsonSchema(task.formSchema, body.response);
  if (!check.ok) {
    throw validationError(
      `the response does not satisfy the form schema of task ${taskId}`,
      check.issues.map((i) => ({ path: jsonPointerToPath('response', i.path), message: i.message, code: i.code })),
    );
  }
  requireEngine(ctx.engines, task.engine, task.runId);

  const now = ctx.clock();
  let recorded: HumanTaskRecord;
  try {
    recorded = await ctx.tasks.complete(tenant, taskId, {
      response: body.response,
      completedAt: now.toISOString(),
      ...(body.completedBy === undefined ? {} : { completedBy: body.completedBy }),
      handoff: { dueAt: new Date(now.getTime() + TASK_HANDOFF_DEFAULTS.graceMs).toISOString() },
    });
  } catch (err) {
    if (!isBatonError(err, ErrorCode.TASK_ALREADY_COMPLETED)) throw err;
    // A racing completion won: the same response is the same success (the winner hands it over).
    const winner = await ctx.tasks.get(tenant, taskId);
    if (!winner) throw err;
    return repeated(ctx, winner, body, false);
  }
  const outcome = await handOffCompletion(ctx, recorded);
  if (outcome.kind === 'closed') {
    // The run took its timeout (or its cancel) first: the task shows that, never this response.
    await ctx.tasks.close(tenant, taskId, ctx.clock().toISOString(), outcome.reason);
    throw taskClosedBatonError(taskId, outcome.reason, task.runId);
  }
  if (outcome.kind === 'refused') {
    await ctx.tasks.reopen(tenant, taskId);
    // A run that finished meanwhile has closed the task in its projection (which overrides this
    // pending completion): the completion lost to that, whatever the engine answered.
    const now = outcome.reason === 'not-waiting' ? await ctx.tasks.get(tenant, taskId) : undefined;
    if (now?.status === 'CANCELED') throw alreadyCompleted(now);
    throw outcome.error;
  }
  if (outcome.kind === 'failed') {
    // Left to the drainer, unless the run closed the task meanwhile (the completion lost).
    const now = await ctx.tasks.get(tenant, taskId);
    if (now?.status === 'CANCELED') throw alreadyCompleted(now);
  }
  if (run) {
    mirrorTaskCompletion(ctx, run, {
      taskId,
      response: body.response,
      completedAt: recorded.completedAt ?? now.toISOString(),
      ...(body.completedBy === undefined ? {} : { completedBy: body.completedBy }),
    });
  }
  return { taskId, runId: task.runId, status: 'COMPLETED' };
}
