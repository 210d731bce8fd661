// Events and task completions delivered to a run, buffered until a wait consumes them and
// deduplicated by id, also across continue-as-new (the ids travel with the carried state).
// Sandbox-safe.
import type { RoutedEvent } from '@baton/event-schemas';
import type { AwaitEventCommand, PendingCommand } from '@baton/runtime-core';
import type { CarriedRunState } from './run-args.js';
import type { TaskCompletionMessage } from './workflow-messages.js';

/** Bounded, insertion-ordered set of ids (oldest dropped first). */
class RecentIds {
  readonly #ids = new Set<string>();
  constructor(
    private readonly max: number,
    initial: readonly string[] = [],
  ) {
    for (const id of initial) this.add(id);
  }
  has(id: string): boolean {
    return this.#ids.has(id);
  }
  add(id: string): void {
    this.#ids.delete(id);
    this.#ids.add(id);
    while (this.#ids.size > this.max) {
      const oldest = this.#ids.values().next().value;
      if (oldest === undefined) break;
      this.#ids.delete(oldest);
    }
  }
  toArray(): string[] {
    return [...this.#ids];
  }
}

/** What the inbox hands to the interpreter next. */
export type InboxMatch =
  | { readonly kind: 'event'; readonly waitId: string; readonly event: RoutedEvent }
  | { readonly kind: 'task'; readonly completion: TaskCompletionMessage };

/** Options of {@link MessageInbox}. */
export interface MessageInboxOptions {
  /** @default 2000 */
  readonly maxSeenIds?: number;
  /** Buffered events kept at most (oldest dropped first). @default 1000 */
  readonly maxBuffered?: number;
}

/** Buffered events and task completions of one run. */
export class MessageInbox {
  readonly #seenEvents: RecentIds;
  readonly #completedTasks: RecentIds;
  #events: RoutedEvent[];
  #tasks: TaskCompletionMessage[];
  readonly #maxBuffered: number;

  constructor(carried: CarriedRunState | undefined, options: MessageInboxOptions = {}) {
    const maxSeen = options.maxSeenIds ?? 2000;
    this.#maxBuffered = options.maxBuffered ?? 1000;
    this.#seenEvents = new RecentIds(maxSeen, carried?.seenEventIds);
    this.#completedTasks = new RecentIds(maxSeen, carried?.completedTaskIds);
    this.#events = [...(carried?.bufferedEvents ?? [])];
    this.#tasks = [...(carried?.bufferedTasks ?? [])];
  }

  /** Buffers an event; `false` when its id was delivered before (a duplicate, ignored). */
  offerEvent(event: RoutedEvent): boolean {
    if (this.#seenEvents.has(event.eventId)) return false;
    this.#seenEvents.add(event.eventId);
    this.#events.push(event);
    if (this.#events.length > this.#maxBuffered) this.#events.shift();
    return true;
  }

  /** True when this task was completed already. */
  isTaskCompleted(taskId: string): boolean {
    return this.#completedTasks.has(taskId);
  }

  /** Records that a task was completed (later completions are duplicates). */
  markTaskCompleted(taskId: string): void {
    this.#completedTasks.add(taskId);
  }

  /** Buffers a task completion; `false` for a duplicate. */
  offerTask(completion: TaskCompletionMessage): boolean {
    if (this.#completedTasks.has(completion.taskId) || this.#tasks.some((t) => t.taskId === completion.taskId)) return false;
    this.#tasks.push(completion);
    return true;
  }

  /** Drops a buffered completion of a task that closed. */
  dropTask(taskId: string): void {
    this.#tasks = this.#tasks.filter((task) => task.taskId !== taskId);
  }

  /** The first buffered message an open wait can take, removed from the buffer. */
  take(pending: readonly PendingCommand[]): InboxMatch | undefined {
    for (const command of pending) {
      if (command.type === 'AwaitEvent') {
        const index = this.#events.findIndex((event) => matches(command, event));
        if (index >= 0) {
          const [event] = this.#events.splice(index, 1);
          return { kind: 'event', waitId: command.waitId, event: event! };
        }
      } else if (command.type === 'AwaitHumanTask') {
        const index = this.#tasks.findIndex((task) => task.taskId === command.taskId);
        if (index >= 0) {
          const [completion] = this.#tasks.splice(index, 1);
          return { kind: 'task', completion: completion! };
        }
      }
    }
    return undefined;
  }

  /** True when {@link take} would return something. */
  hasMatch(pending: readonly PendingCommand[]): boolean {
    return pending.some(
      (command) =>
        (command.type === 'AwaitEvent' && this.#events.some((event) => matches(command, event))) ||
        (command.type === 'AwaitHumanTask' && this.#tasks.some((task) => task.taskId === command.taskId)),
    );
  }

  get bufferedEventCount(): number {
    return this.#events.length;
  }

  /** The part of the inbox the next Temporal run needs. */
  carry(): Omit<CarriedRunState, 'state'> {
    return {
      bufferedEvents: [...this.#events],
      seenEventIds: this.#seenEvents.toArray(),
      bufferedTasks: [...this.#tasks],
      completedTaskIds: this.#completedTasks.toArray(),
    };
  }
}

function matches(wait: AwaitEventCommand, event: RoutedEvent): boolean {
  return wait.eventName === event.eventName && wait.correlationKey === event.correlationKey;
}
