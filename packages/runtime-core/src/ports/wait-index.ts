import type { EngineKind } from '@baton/event-schemas';

/** What a run waits for. */
export const WaitKind = {
  EVENT: 'event',
  TIMER: 'timer',
  TASK: 'task',
  CHILD: 'child',
} as const;
export type WaitKind = (typeof WaitKind)[keyof typeof WaitKind];

/** Lifecycle of a wait: open (`WAITING`) until resolved, timed out or cancelled. */
export const WaitStatus = {
  WAITING: 'WAITING',
  RESOLVED: 'RESOLVED',
  TIMED_OUT: 'TIMED_OUT',
  CANCELED: 'CANCELED',
} as const;
export type WaitStatus = (typeof WaitStatus)[keyof typeof WaitStatus];

/** A wait to open. */
export interface OpenWait {
  readonly runId: string;
  readonly engine: EngineKind;
  /** unique within the run */
  readonly waitId: string;
  readonly type: WaitKind;
  readonly stepId?: string;
  /** event waits: the awaited event */
  readonly eventName?: string;
  /** event waits: the evaluated correlation key */
  readonly correlationKey?: string;
  /** timers and timeouts: ISO-8601 due time */
  readonly dueAt?: string;
  /** task waits: the human task */
  readonly taskId?: string;
  readonly createdAt: string;
}

/** A stored wait. */
export interface WaitRecord extends OpenWait {
  readonly tenant: string;
  readonly status: WaitStatus;
  readonly closedAt?: string;
}

/** Index of the waits of runs of both engines, used to route events; scoped to `tenant`. */
export interface WaitIndex {
  /** Opens a wait; opening the same (run, waitId) again is a no-op. */
  open(tenant: string, wait: OpenWait): Promise<void>;
  /** Closes a wait only if it is `WAITING` (conditional); true when this call closed it. */
  close(tenant: string, runId: string, waitId: string, outcome: Exclude<WaitStatus, 'WAITING'>, closedAt: string): Promise<boolean>;
  /** Closes every open wait of a run (cancellation); returns how many it closed. */
  closeAllForRun(tenant: string, runId: string, outcome: Exclude<WaitStatus, 'WAITING'>, closedAt: string): Promise<number>;
  /** Open event waits for (eventName, correlationKey), the candidates of event routing. */
  findWaiting(tenant: string, eventName: string, correlationKey: string): Promise<readonly WaitRecord[]>;
  /** The waits of one run, oldest first; only those with `status` when given. */
  listForRun(tenant: string, runId: string, options?: { readonly status?: WaitStatus }): Promise<readonly WaitRecord[]>;
}
