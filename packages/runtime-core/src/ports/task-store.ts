import type { EngineKind, JsonValue, TaskStatus } from '@baton/event-schemas';

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

/** A stored human task. */
export interface HumanTaskRecord extends NewHumanTask {
  readonly tenant: string;
  readonly status: TaskStatus;
  readonly response?: JsonValue;
  readonly completedAt?: string;
  readonly completedBy?: string;
}

/** A completion to store. */
export interface TaskCompletion {
  readonly response: JsonValue;
  readonly completedAt: string;
  readonly completedBy?: string;
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
  /** Puts a COMPLETED task back to OPEN when handing its completion to the engine failed. */
  reopen(tenant: string, taskId: string): Promise<void>;
  /** Ends an OPEN task without a response (its wait timed out or the run was cancelled) as CANCELED; false when it was not OPEN. */
  close(tenant: string, taskId: string, at: string): Promise<boolean>;
  /** Cancels every OPEN task of a run; returns how many. */
  cancelForRun(tenant: string, runId: string, at: string): Promise<number>;
}
