import type { JsonValue, RunWait, StepRecord } from '@baton/event-schemas';
import { memoizedWaitQueries, runOutcome, runStatus, waitChanges, type InterpreterCommand, type InterpreterState, type PendingCommand } from '@baton/runtime-core';
import type { ChildToStart, InvocationToRecord, RunCommit, TaskToClose, TaskToOpen, WaitToClose, WaitToOpen } from './run-commit.js';

/** How a wait that disappeared was resolved by the input that was applied. */
export interface Resolution {
  /** event id, `operator`, task completer... stored as `resolved_by` */
  readonly by: string;
  /** the task response, when a human task completed */
  readonly response?: JsonValue;
}

/** What the driver accumulated since the last commit of a run. */
export interface CommitDraft {
  readonly tenant: string;
  readonly runId: string;
  readonly fencingToken: string;
  readonly mode: RunCommit['mode'];
  /** the state as last committed (`null` before the first commit): its open waits are rows already */
  readonly before: InterpreterState | null;
  readonly after: InterpreterState;
  readonly workflowVersion: string;
  readonly definitionHash: string;
  readonly steps: readonly StepRecord[];
  /** every command emitted since the last commit (CancelWait reasons are read from them) */
  readonly commands: readonly InterpreterCommand[];
  readonly invocations: readonly InvocationToRecord[];
  readonly startChildren: readonly ChildToStart[];
  readonly parentRunId: string | null;
  /** resolutions of waits by the inputs applied, by wait id */
  readonly resolutions?: ReadonlyMap<string, Resolution>;
  /** resolution of any other wait that was resolved (an operator resume) */
  readonly defaultResolution?: Resolution;
  /** give the run up after this commit */
  readonly release: boolean;
  /** when releasing: wake now even without a due timer (work is left: an action, a child to create) */
  readonly wakeNow?: boolean;
  /** the interpreter's clock of the last input, used as "now" for an immediate wake */
  readonly now: string;
  /** whether the run is in a shadow pair, when the writer read its row (see {@link RunCommit.shadowed}) */
  readonly shadowed?: boolean;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

// A committed state is read again by the next commit (as `before`): its query answers are kept.
const queries = memoizedWaitQueries();

/** `pendingCommands(state)`, computed once per state object; treat the result as read-only. */
export const cachedPending = (state: InterpreterState): readonly PendingCommand[] => queries.pendingCommands(state);

/** Earliest `fireAt` of the state's outstanding timers (sleep, retry back-off, timeouts). */
export function nextTimerAt(state: InterpreterState): string | null {
  let earliest: string | null = null;
  for (const c of cachedPending(state)) {
    if (c.type === 'StartTimer' && (earliest === null || Date.parse(c.fireAt) < Date.parse(earliest))) earliest = c.fireAt;
  }
  return earliest;
}

function waitRow(w: RunWait): WaitToOpen {
  const detail: Record<string, JsonValue> = {};
  if (w.taskType !== undefined) detail.taskType = w.taskType;
  if (w.title !== undefined) detail.title = w.title;
  if (w.assignee !== undefined) detail.assignee = w.assignee;
  if (w.childWorkflow !== undefined) detail.childWorkflow = w.childWorkflow;
  return {
    waitId: w.waitId,
    type: w.type,
    stepId: w.stepId,
    createdAt: w.createdAt,
    ...(w.eventName !== undefined ? { eventName: w.eventName } : {}),
    ...(w.correlationKey !== undefined ? { correlationKey: w.correlationKey } : {}),
    ...(w.timeoutAt !== undefined ? { dueAt: w.timeoutAt } : {}),
    ...(Object.keys(detail).length ? { detail } : {}),
  };
}

/**
 * Turns the difference between the committed state and the new one into rows: waits and tasks that
 * appeared are opened, those that went away are closed (resolved, timed out or cancelled), plus the
 * run row, step records, action results and children.
 */
export function buildRunCommit(d: CommitDraft): RunCommit {
  // runtime-core says which waits opened and closed, and how; this only turns that into rows.
  const changes = waitChanges(d.before, d.after, d.commands, queries);
  const openWaitRows = changes.opened.map(waitRow);
  const closeWaitRows: WaitToClose[] = [];
  const closeTaskRows: TaskToClose[] = [];
  for (const { wait: w, closure: status } of changes.closed) {
    const resolution = d.resolutions?.get(w.waitId) ?? d.defaultResolution;
    closeWaitRows.push({ waitId: w.waitId, status, ...(resolution ? { resolvedBy: resolution.by } : {}) });
    if (w.type === 'HUMAN_TASK') {
      closeTaskRows.push(
        status === 'RESOLVED'
          ? {
              taskId: w.waitId,
              status: 'COMPLETED',
              ...(resolution?.response !== undefined ? { response: resolution.response } : {}),
              ...(resolution ? { completedBy: resolution.by } : {}),
            }
          : { taskId: w.waitId, status: 'CANCELED', closeReason: status },
      );
    }
  }
  const openTaskRows: TaskToOpen[] = changes.openedTasks.map((c) => ({
    taskId: c.taskId,
    stepId: c.stepId,
    taskType: c.taskType,
    title: c.title,
    ...(c.formSchema !== undefined ? { formSchema: c.formSchema } : {}),
    ...(c.assignee !== undefined ? { assignee: c.assignee } : {}),
    ...(c.timeoutAt !== undefined ? { dueAt: c.timeoutAt } : {}),
  }));

  const status = runStatus(d.after);
  const terminal = TERMINAL.has(status);
  const outcome = terminal ? runOutcome(d.after) : { status };
  const wakeAt = terminal ? null : d.wakeNow ? d.now : nextTimerAt(d.after);
  return {
    tenant: d.tenant,
    runId: d.runId,
    fencingToken: d.fencingToken,
    mode: d.mode,
    state: d.after,
    status: outcome.status,
    workflowVersion: d.workflowVersion,
    definitionHash: d.definitionHash,
    generation: d.after.generation,
    ...(outcome.output !== undefined ? { output: outcome.output } : {}),
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    ...(d.after.cancelReason !== undefined ? { cancelReason: d.after.cancelReason } : {}),
    currentStepId: d.after.current?.stepId ?? null,
    terminal,
    ...(d.release ? { release: { wakeAt } } : {}),
    steps: d.steps,
    openWaits: openWaitRows,
    closeWaits: closeWaitRows,
    openTasks: openTaskRows,
    closeTasks: closeTaskRows,
    invocations: d.invocations,
    startChildren: d.startChildren,
    wakeParent: terminal ? d.parentRunId : null,
    ...(d.shadowed !== undefined ? { shadowed: d.shadowed } : {}),
  };
}
