// A task completion racing the task's timeout (or the run's cancellation), decided once for every
// driver: the input the interpreter took first wins. A completion that comes after the interpreter
// closed the task is refused with `TASK_ALREADY_CLOSED`, saying how the task ended; the task is
// never reopened and never shows COMPLETED for an answer the run did not take.
import type { WorkflowError } from '@baton/event-schemas';
import type { InterpreterState } from './state.js';
import { pendingCommands } from './queries.js';

/** How the interpreter closed a wait: an input resolved it, its timeout elapsed, or the run cancelled it. */
export type WaitClosure = 'RESOLVED' | 'TIMED_OUT' | 'CANCELED';

/** Why a task ended without a response. */
export type TaskCloseReason = 'TIMED_OUT' | 'CANCELED';

/** Code of a completion refused because the interpreter closed the task first. */
export const TASK_ALREADY_CLOSED = 'TASK_ALREADY_CLOSED';

/** What a driver does with a task completion. */
export type TaskCompletionVerdict =
  /** the task is open: feed `HumanTaskCompleted` to the interpreter */
  | { readonly kind: 'apply' }
  /** a completion was already taken (a repeated hand-off): the same success, nothing to do */
  | { readonly kind: 'taken' }
  /** the interpreter closed the task first (its timeout, the run's cancel): refuse with `error` */
  | { readonly kind: 'closed'; readonly reason: TaskCloseReason; readonly error: WorkflowError }
  /** the run has no such task */
  | { readonly kind: 'unknown' };

/** The refusal of a completion that lost to the task's timeout or the run's cancellation. */
export function taskClosedError(taskId: string, reason: TaskCloseReason): WorkflowError {
  return {
    category: 'ValidationError',
    code: TASK_ALREADY_CLOSED,
    message: reason === 'TIMED_OUT' ? `task ${taskId} timed out before its completion was applied` : `task ${taskId} was canceled before its completion was applied`,
    details: { taskId, status: 'CANCELED', closeReason: reason },
  };
}

/**
 * Decides a completion of `taskId` from the run's state and how the run closed that task's wait
 * (`closure`, `undefined` when the driver knows of no such closed wait).
 */
export function decideTaskCompletion(state: InterpreterState | undefined, taskId: string, closure: WaitClosure | undefined): TaskCompletionVerdict {
  if (state && pendingCommands(state).some((c) => c.type === 'AwaitHumanTask' && c.taskId === taskId)) return { kind: 'apply' };
  if (closure === 'RESOLVED') return { kind: 'taken' };
  if (closure === 'TIMED_OUT' || closure === 'CANCELED') return { kind: 'closed', reason: closure, error: taskClosedError(taskId, closure) };
  return { kind: 'unknown' };
}
