import type { JsonValue, RunStatus, StepRecord, WorkflowError } from '@baton/event-schemas';
import type { InterpreterState } from '@baton/runtime-core';

/** A wait row to insert (EVENT, HUMAN_TASK, TIMER or CHILD_WORKFLOW). */
export interface WaitToOpen {
  readonly waitId: string;
  readonly type: 'EVENT' | 'HUMAN_TASK' | 'TIMER' | 'CHILD_WORKFLOW';
  readonly stepId: string;
  readonly createdAt: string;
  readonly eventName?: string;
  readonly correlationKey?: string;
  readonly dueAt?: string;
  readonly detail?: Readonly<Record<string, JsonValue>>;
}

/** A wait row to close, only if still WAITING. */
export interface WaitToClose {
  readonly waitId: string;
  readonly status: 'RESOLVED' | 'CANCELED' | 'TIMED_OUT';
  readonly resolvedBy?: string;
}

/** A human task row to insert. */
export interface TaskToOpen {
  readonly taskId: string;
  readonly stepId: string;
  readonly taskType: string;
  readonly title: string;
  readonly formSchema?: JsonValue;
  readonly assignee?: string;
  readonly dueAt?: string;
}

/** A human task to end: COMPLETED with a response, or CANCELED (timeout or cancellation). */
export interface TaskToClose {
  readonly taskId: string;
  readonly status: 'COMPLETED' | 'CANCELED';
  readonly closeReason?: 'CANCELED' | 'TIMED_OUT';
  readonly response?: JsonValue;
  readonly completedBy?: string;
}

/** An action result to store under its idempotency key. */
export interface InvocationToRecord {
  readonly idempotencyKey: string;
  readonly stepId: string;
  readonly action: string;
  readonly actionVersion: number;
  readonly attempt: number;
  readonly status: 'COMPLETED' | 'FAILED';
  readonly output?: JsonValue;
  readonly error?: WorkflowError;
}

/** A child run to create (Postgres engine, runnable at once). */
export interface ChildToStart {
  readonly runId: string;
  readonly stepId: string;
  readonly workflow: string;
  readonly version: string;
  readonly definitionHash: string;
  readonly input: JsonValue;
  /** the child's place in a shadow pair (the child of a shadow is a shadow, the child of a primary is shadowed) */
  readonly shadowOf?: string;
  readonly shadowRunId?: string;
}

/**
 * Everything one run writes in one commit: the interpreter state and status, the step records the
 * interpreter reported, the waits/tasks/children that appeared or went away, and action results.
 */
export interface RunCommit {
  readonly tenant: string;
  readonly runId: string;
  /** the fencing token the writer holds; the commit applies only if the row still has it */
  readonly fencingToken: string;
  /**
   * `lease`: a worker's commit, fenced by token and lease owner; `direct`: an input applied under
   * the row lock (event, task, cancel, retry, resume), which revokes any lease by bumping the token.
   */
  readonly mode: 'lease' | 'direct';
  readonly state: InterpreterState;
  readonly status: RunStatus;
  readonly workflowVersion: string;
  readonly definitionHash: string;
  readonly generation: number;
  readonly output?: JsonValue;
  readonly error?: WorkflowError;
  readonly cancelReason?: string;
  readonly currentStepId: string | null;
  readonly terminal: boolean;
  /**
   * Whether the run is a primary or a shadow of a shadow pair, when the writer read its row
   * (`undefined`: it may be). A finished run that is not settles no shadow comparison (no read).
   */
  readonly shadowed?: boolean;
  /** set: give the run up (lease cleared) and wake it at this time (`null`: only an input can) */
  readonly release?: { readonly wakeAt: string | null };
  readonly steps: readonly StepRecord[];
  readonly openWaits: readonly WaitToOpen[];
  readonly closeWaits: readonly WaitToClose[];
  readonly openTasks: readonly TaskToOpen[];
  readonly closeTasks: readonly TaskToClose[];
  readonly invocations: readonly InvocationToRecord[];
  readonly startChildren: readonly ChildToStart[];
  /** the parent to wake because this run finished */
  readonly wakeParent: string | null;
}

