import type { EngineKind, RunWait } from '@baton/event-schemas';

/** Lifecycle of a wait: open (`WAITING`) until resolved, timed out or cancelled. */
export const WaitStatus = {
  WAITING: 'WAITING',
  RESOLVED: 'RESOLVED',
  TIMED_OUT: 'TIMED_OUT',
  CANCELED: 'CANCELED',
} as const;
export type WaitStatus = (typeof WaitStatus)[keyof typeof WaitStatus];

/** A wait to open: the run's view of it (`RunWait`) plus the run and its engine. */
export interface OpenWait extends RunWait {
  readonly runId: string;
  readonly engine: EngineKind;
}

/** A stored wait. */
export interface WaitRecord extends OpenWait {
  readonly tenant: string;
  readonly status: WaitStatus;
  readonly closedAt?: string;
  /** the event id that resolved an `EVENT` wait */
  readonly resolvedBy?: string;
}

/** What events are routed by: an event name and a correlation key. */
export interface EventWaitKey {
  readonly eventName: string;
  readonly correlationKey: string;
}

/** Index of the waits of runs of both engines, used to route events and show runs; scoped to `tenant`. */
export interface WaitIndex {
  /** Opens a wait; opening the same (runId, waitId) again is a no-op. */
  open(tenant: string, wait: OpenWait): Promise<void>;
  /**
   * Closes a wait only if it is `WAITING` (conditional); true when this call closed it. `resolvedBy`:
   * the event id that resolved an `EVENT` wait (the run has taken that event: the inbox never offers it to the run again).
   */
  close(tenant: string, runId: string, waitId: string, outcome: Exclude<WaitStatus, 'WAITING'>, closedAt: string, resolvedBy?: string): Promise<boolean>;
  /** Closes every open wait of a run (cancellation); returns how many it closed. */
  closeAllForRun(tenant: string, runId: string, outcome: Exclude<WaitStatus, 'WAITING'>, closedAt: string): Promise<number>;
  /** Open `EVENT` waits for (eventName, correlationKey) of any run and engine: the candidates of event routing. */
  findWaiting(tenant: string, eventName: string, correlationKey: string): Promise<readonly WaitRecord[]>;
  /** `findWaiting` for several keys in one step: the open `EVENT` waits matching any of `keys`, oldest first. */
  findWaitingMany(tenant: string, keys: readonly EventWaitKey[]): Promise<readonly WaitRecord[]>;
  /** The waits of one run, oldest first; only those with `status` when given. */
  listForRun(tenant: string, runId: string, options?: { readonly status?: WaitStatus }): Promise<readonly WaitRecord[]>;
}
