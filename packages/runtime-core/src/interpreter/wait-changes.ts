// Which waits, tasks and timers a step opened and closed, and how each closed: one diff for every
// driver's projection (the Postgres engine's commit rows, the Temporal workflow's projection batch).
import type { RunWait } from '@baton/event-schemas';
import type { AwaitHumanTaskCommand, InterpreterCommand, PendingCommand } from './protocol.js';
import { openWaits, pendingCommands } from './queries.js';
import type { InterpreterState } from './state.js';
import type { WaitClosure } from './task-completion.js';

/** A wait that closed, with how. */
export interface ClosedWait {
  readonly wait: RunWait;
  readonly closure: WaitClosure;
}

/** The state queries {@link waitChanges} uses. */
export interface WaitQueries {
  openWaits(state: InterpreterState): readonly RunWait[];
  pendingCommands(state: InterpreterState): readonly PendingCommand[];
}

const DEFAULT_QUERIES: WaitQueries = { openWaits, pendingCommands };

/**
 * `openWaits` / `pendingCommands` answered once per state object (the queries clone what they
 * return, and a driver diffs each state twice: as `after`, then as the next `before`). States are
 * never mutated once an advance returned them; treat the answers as read-only.
 */
export function memoizedWaitQueries(): WaitQueries {
  const waitsOf = new WeakMap<InterpreterState, readonly RunWait[]>();
  const pendingOf = new WeakMap<InterpreterState, readonly PendingCommand[]>();
  return {
    openWaits(state) {
      let waits = waitsOf.get(state);
      if (!waits) waitsOf.set(state, (waits = openWaits(state)));
      return waits;
    },
    pendingCommands(state) {
      let pending = pendingOf.get(state);
      if (!pending) pendingOf.set(state, (pending = pendingCommands(state)));
      return pending;
    },
  };
}

/** What changed between two states of a run. */
export interface WaitChanges {
  /** waits open after that were not before (oldest first) */
  readonly opened: readonly RunWait[];
  /** waits open before that are not after */
  readonly closed: readonly ClosedWait[];
  /** human tasks that opened (their full command: title, form, assignee, timeout) */
  readonly openedTasks: readonly AwaitHumanTaskCommand[];
}

/**
 * The waits that opened and closed from `before` (`undefined`/`null`: nothing was open) to `after`,
 * given every command emitted in between. A wait closes `TIMED_OUT` when a `CancelWait` with reason
 * `timeout` closed it, `CANCELED` when a `CancelWait` cancelled it or the run was cancelled, and
 * `RESOLVED` otherwise (an input took it: an event, a completion, a fired sleep, an operator resume).
 */
export function waitChanges(
  before: InterpreterState | null | undefined,
  after: InterpreterState,
  commands: readonly InterpreterCommand[],
  /** the driver's own (e.g. cached) `openWaits` / `pendingCommands`; results are only read */
  queries: WaitQueries = DEFAULT_QUERIES,
): WaitChanges {
  const beforeWaits = before ? queries.openWaits(before) : [];
  const afterWaits = queries.openWaits(after);
  const beforeIds = new Set(beforeWaits.map((w) => w.waitId));
  const afterIds = new Set(afterWaits.map((w) => w.waitId));
  const reasons = new Map<string, 'timeout' | 'canceled'>();
  // Only a CancelWait says how a wait closed. A CancelTimer only withdraws the timer effect: an
  // operator's Resume of a sleep takes the wait (RESOLVED) and still cancels its timer.
  for (const c of commands) if (c.type === 'CancelWait') reasons.set(c.waitId, c.reason);
  const closed: ClosedWait[] = [];
  for (const wait of beforeWaits) {
    if (afterIds.has(wait.waitId)) continue;
    const reason = reasons.get(wait.waitId) ?? (after.status === 'canceled' ? 'canceled' : undefined);
    closed.push({ wait, closure: reason === 'timeout' ? 'TIMED_OUT' : reason === 'canceled' ? 'CANCELED' : 'RESOLVED' });
  }
  const beforeTasks = new Set(before ? queries.pendingCommands(before).flatMap((c) => (c.type === 'AwaitHumanTask' ? [c.taskId] : [])) : []);
  const openedTasks = queries.pendingCommands(after).filter((c): c is AwaitHumanTaskCommand => c.type === 'AwaitHumanTask' && !beforeTasks.has(c.taskId));
  return { opened: afterWaits.filter((w) => !beforeIds.has(w.waitId)), closed, openedTasks };
}
