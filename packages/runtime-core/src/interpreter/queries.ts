// Pure reads of a state for drivers: what is outstanding, the run status, its open waits.
import type { JsonObject, JsonValue, RunStatus, RunWait, WorkflowError } from '@baton/event-schemas';
import { cloneJson } from './clone-json.js';
import { taskResponseRejection } from './executors/task-response.js';
import type { PendingCommand, RunOutcome } from './protocol.js';
import type { InterpreterState } from './state.js';
import { REJECTION_CODE, workflowError } from './workflow-errors.js';

/**
 * The commands emitted and not yet resolved (RunAction, StartTimer, AwaitEvent,
 * AwaitHumanTask, StartChild): after a crash, re-issue exactly these.
 */
export function pendingCommands(state: InterpreterState): PendingCommand[] {
  return cloneJson(state.outstanding);
}

/** The run status of SPEC-api: WAITING while an event, task, sleep or child is awaited. */
export function runStatus(state: InterpreterState): RunStatus {
  switch (state.status) {
    case 'succeeded':
      return 'SUCCEEDED';
    case 'failed':
      return 'FAILED';
    case 'canceled':
      return 'CANCELED';
    case 'continued':
      return 'RUNNING';
    case 'running':
      return state.outstanding.some((c) => c.type !== 'RunAction' && !(c.type === 'StartTimer' && c.reason === 'retry')) ? 'WAITING' : 'RUNNING';
  }
}

/** Status, output (SUCCEEDED) and error (FAILED, CANCELED) of the run. */
export function runOutcome(state: InterpreterState): RunOutcome {
  const status = runStatus(state);
  if (state.status === 'succeeded') return { status, output: cloneJson(state.output ?? null) };
  if (state.error && (state.status === 'failed' || state.status === 'canceled')) return { status, error: cloneJson(state.error) };
  return { status };
}

/** The open waits of the run, as `RunView.waits` shows them (timeout timers are not waits). */
export function openWaits(state: InterpreterState): RunWait[] {
  const openedAt = state.current && 'openedAt' in state.current.wait ? state.current.wait.openedAt : state.updatedAt;
  const waits: RunWait[] = [];
  for (const command of state.outstanding) {
    switch (command.type) {
      case 'AwaitEvent':
        waits.push({
          waitId: command.waitId,
          type: 'EVENT',
          stepId: command.stepId,
          eventName: command.eventName,
          correlationKey: command.correlationKey,
          createdAt: openedAt,
          ...(command.timeoutAt !== undefined ? { timeoutAt: command.timeoutAt } : {}),
        });
        break;
      case 'AwaitHumanTask':
        waits.push({
          waitId: command.taskId,
          type: 'HUMAN_TASK',
          stepId: command.stepId,
          taskType: command.taskType,
          title: command.title,
          createdAt: openedAt,
          ...(command.assignee !== undefined ? { assignee: command.assignee } : {}),
          ...(command.timeoutAt !== undefined ? { timeoutAt: command.timeoutAt } : {}),
        });
        break;
      case 'StartTimer':
        if (command.reason === 'sleep') waits.push({ waitId: command.timerId, type: 'TIMER', stepId: command.stepId, createdAt: openedAt, timeoutAt: command.fireAt });
        break;
      case 'StartChild':
        waits.push({ waitId: command.childRunId, type: 'CHILD_WORKFLOW', stepId: command.stepId, childWorkflow: command.workflow, createdAt: openedAt });
        break;
      case 'RunAction':
        break;
    }
  }
  return waits;
}

/**
 * Checks a human-task response against the open task's form schema without advancing
 * (for the HTTP 400 path and Temporal update validators). Same verdict as `advance`.
 */
export function validateTaskResponse(
  state: InterpreterState,
  taskId: string,
  response: JsonValue,
): { ok: true } | { ok: false; error: WorkflowError } {
  const task = state.outstanding.find((c) => c.type === 'AwaitHumanTask' && c.taskId === taskId);
  if (!task || task.type !== 'AwaitHumanTask') {
    return { ok: false, error: workflowError('ValidationError', REJECTION_CODE.STALE_INPUT, `task ${taskId} is not open in this run`) };
  }
  const rejection = taskResponseRejection(task.formSchema, response, task.stepId);
  return rejection ? { ok: false, error: rejection } : { ok: true };
}

/** Steps started in this generation (Temporal compares it with `limits.maxStepsPerHistory`). */
export function executedStepCount(state: InterpreterState): number {
  return state.executedSteps;
}

/** The run's variables (`vars`) now: what an entity's `state` shows. A copy: changing it changes no state. */
export function runVariables(state: InterpreterState): JsonObject {
  return cloneJson(state.vars);
}
