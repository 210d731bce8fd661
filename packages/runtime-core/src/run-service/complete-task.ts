import type { CompleteTaskBody, CompleteTaskResponse } from '@baton/event-schemas';
import { BatonError, isBatonError, validationError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { jsonPointerToPath } from '../errors/json-pointer-path.js';
import { validateAgainstJsonSchema } from '../json-schema/validate-json-schema.js';
import { requireEngine, withRunEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';

/**
 * Completes a human task: `TASK_NOT_FOUND`, `TASK_ALREADY_COMPLETED` for a task that is not open,
 * `VALIDATION_ERROR` for a response that does not satisfy the form schema (checked before anything
 * changes); then the task is marked completed (conditional, so one of two racing completions wins)
 * and handed to the run's engine. If the engine refuses, the task is reopened and the error returned.
 */
export async function completeTask(ctx: RuntimeContext, tenant: string, taskId: string, body: CompleteTaskBody): Promise<CompleteTaskResponse> {
  const task = await ctx.tasks.get(tenant, taskId);
  if (!task) throw new BatonError(ErrorCode.TASK_NOT_FOUND, `task ${taskId} not found`, { details: { taskId } });
  if (task.status !== 'OPEN') {
    throw new BatonError(ErrorCode.TASK_ALREADY_COMPLETED, `task ${taskId} is ${task.status.toLowerCase()}`, { details: { taskId, status: task.status } });
  }
  const check = validateAgainstJsonSchema(task.formSchema, body.response);
  if (!check.ok) {
    throw validationError(
      `the response does not satisfy the form schema of task ${taskId}`,
      check.issues.map((i) => ({ path: jsonPointerToPath('response', i.path), message: i.message, code: i.code })),
    );
  }
  requireEngine(ctx.engines, task.engine, task.runId);

  const completedAt = ctx.clock().toISOString();
  await ctx.tasks.complete(tenant, taskId, {
    response: body.response,
    completedAt,
    ...(body.completedBy === undefined ? {} : { completedBy: body.completedBy }),
  });
  try {
    await withRunEngine(ctx.engines, { tenant, runId: task.runId, engine: task.engine }, (engine, ref) =>
      engine.completeHumanTask(ref, {
        taskId,
        response: body.response,
        completedAt,
        ...(body.completedBy === undefined ? {} : { completedBy: body.completedBy }),
      }),
    );
  } catch (err) {
    await ctx.tasks.reopen(tenant, taskId);
    if (isBatonError(err)) throw err;
    throw new BatonError(ErrorCode.ENGINE_DELIVERY_FAILED, `the '${task.engine}' engine did not accept task ${taskId}: ${(err as Error)?.message ?? String(err)}`, {
      details: { taskId, runId: task.runId, engine: task.engine },
      cause: err,
    });
  }
  return { taskId, runId: task.runId, status: 'COMPLETED' };
}
