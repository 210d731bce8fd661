import type { EngineKind, JsonValue, TaskCloseReason, TaskStatus } from '@baton/event-schemas';

/** A human task to open (from a `human.task` step). */
export interface NewHumanTask {
  /** also the id of the run's `HUMAN_TASK` wait */
  readonly taskId: string;
  readonly runId: string;
  readonly engine: EngineKind;
  readonly stepId: string;
  readonly taskType: string;
  readonly title: string;
  /** JSON Schema the response must satisfy */
  readonly formSchema?: JsonValue;
  readonly assignee?: string;
  readonly timeoutAt?: string;
  readonly createdAt: string;
}

/**
 * Where the hand-off of a completion to the run's engine stands (the task's outbox entry):
 * `PENDING` until the engine accepted it, `DELIVERED` after, `REFUSED` when the run no longer waits
 * for it. Absent on completions that reached the run another way (a Temporal projection).
 */
export type TaskHandoff = 'PENDING' | 'DELIVERED' | 'REFUSED';

/** A stored human task. */
export interface HumanTaskRecord extends NewHumanTask {
  readonly tenant: string;
  readonly status: TaskStatus;
  readonly handoff?: TaskHandoff;
  /** attempts of the hand-off drainer so far */
  readonly handoffAttempts?: number;
  /** why the last hand-off attempt failed or was refused */
  readonly handoffError?: string;
  readonly response?: JsonValue;
  readonly completedAt?: string;
  readonly completedBy?: string;
  /** why a CANCELED task ended without a response: its timeout elapsed, or the run was cancelled */
  readonly closeReason?: TaskCloseReason;
}

/** A completion to store. */
export interface TaskCompletion {
  readonly response: JsonValue;
  readonly completedAt: string;
  readonly completedBy?: string;
  /**
   * Record the completion as a `PENDING` hand-off in the same write (the outbox entry), which the
   * drainer may claim from `dueAt` on; absent: the engine already has it (no hand-off recorded).
   */
  readonly handoff?: { readonly dueAt: string };
}

/** Filter of `TaskStore.list`. */
export interface TaskListQuery {
  readonly status?: TaskStatus;
  readonly runId?: string;
}

/** Storage of human tasks; every method is scoped to `tenant`. */
export interface TaskStore {
  /** Opens a task; opening the same task id again is a no-op. */
  open(tenant: string, task: NewHumanTask): Promise<void>;
  get(tenant: string, taskId: string): Promise<HumanTaskRecord | undefined>;
  /** Tasks oldest first. */
  list(tenant: string, query: TaskListQuery): Promise<readonly HumanTaskRecord[]>;
  /**
   * Marks an OPEN task completed (conditional, so only one of two concurrent completions wins);
   * throws `BatonError` `TASK_NOT_FOUND`, or `TASK_ALREADY_COMPLETED` when it is not OPEN.
   */
  complete(tenant: string, taskId: string, completion: TaskCompletion): Promise<HumanTaskRecord>;
  /** Puts a COMPLETED task back to OPEN (clearing its response and hand-off) when the engine refused the completion. */
  reopen(tenant: string, taskId: string): Promise<void>;
  /** Ends a `PENDING` hand-off as `DELIVERED` or `REFUSED` (with why); a no-op for any other state. */
  settleHandoff(tenant: string, taskId: string, outcome: 'DELIVERED' | 'REFUSED', error?: string): Promise<void>;
  /**
   * Claims up to `limit` `PENDING` hand-offs of every tenant due at `now`, oldest first: each claimed
   * one gets an attempt more, `error` of the previous attempt kept, and is due again at `retryAt` (a
   * lease, so concurrent drainers do not take the same entries).
   */
  claimHandoffs(now: string, retryAt: string, limit: number): Promise<readonly HumanTaskRecord[]>;
  /** Records why a claimed hand-off attempt failed; it stays `PENDING`. */
  noteHandoffFailure(tenant: string, taskId: string, error: string): Promise<void>;
  /**
   * Ends a task without a response as CANCELED with `reason` (default `CANCELED`): its wait timed out
   * or the run was cancelled. Closes an OPEN task, and also a COMPLETED one whose hand-off is still
   * `PENDING` (the interpreter closed the task before it took that completion, so the completion lost:
   * its response and completer are cleared and the hand-off becomes `REFUSED`). False when nothing changed.
   */
  close(tenant: string, taskId: string, at: string, reason?: TaskCloseReason): Promise<boolean>;
  /** Cancels every OPEN task of a run; returns how many. */
  cancelForRun(tenant: string, runId: string, at: string): Promise<number>;
}
