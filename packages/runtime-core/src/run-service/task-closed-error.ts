import type { TaskCloseReason } from '@baton/event-schemas';
import { BatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { taskClosedError } from '../interpreter/task-completion.js';

/**
 * The API answer (409 `TASK_ALREADY_CLOSED`, details `{taskId, runId?, status: "CANCELED", closeReason}`)
 * to a completion the run did not take because it had closed the task first.
 */
export function taskClosedBatonError(taskId: string, reason: TaskCloseReason, runId?: string): BatonError {
  const error = taskClosedError(taskId, reason);
  return new BatonError(ErrorCode.TASK_ALREADY_CLOSED, error.message, {
    details: { taskId, ...(runId === undefined ? {} : { runId }), status: 'CANCELED', closeReason: reason },
  });
}

/** The close reason an engine's `TASK_ALREADY_CLOSED` answer carries (`CANCELED` when it names none). */
export function closeReasonOf(error: BatonError): TaskCloseReason {
  return error.details['closeReason'] === 'TIMED_OUT' ? 'TIMED_OUT' : 'CANCELED';
}
