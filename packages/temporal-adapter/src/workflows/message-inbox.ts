// Events and task completions delivered to a run, kept until a wait takes them. Events follow
// SPEC-dsl "Event inbox" exactly as the Postgres engine does (runtime-core decides which events a
// wait may take and in which order): a wait is offered the earliest event of its name and key
// received at or after its `since` that this run has not taken; an event the wait's filter refuses
// stays for later waits; a taken event is never taken again by this run (its id travels across
// continue-as-new). Events come from signals (routed to an open wait) and from the durable inbox
// read when a wait opens. Sandbox-safe.
import type { RoutedEvent } from '@baton/event-schemas';
import { inboxEventMatches, orderInboxEvents, type EventInboxRequest, type PendingCommand } from '@baton/runtime-core/pure';
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
  /** events this run took (an event resumes a run at most once) */
  readonly #taken: RecentIds;
  readonly #completedTasks: RecentIds;
  /** events not taken yet, earliest received first */
  #events: RoutedEvent[];
  /** per open wait, the events its filter (or window) refused */
  readonly #refused = new Map<string, Set<string>>();
  #tasks: TaskCompletionMessage[];
  readonly #maxBuffered: number;

  constructor(carried: CarriedRunState | undefined, options: MessageInboxOptions = {}) {
    const maxSeen = options.maxSeenIds ?? 2000;
    this.#maxBuffered = options.maxBuffered ?? 1000;
    this.#taken = new RecentIds(maxSeen, carried?.seenEventIds);
    this.#completedTasks = new RecentIds(maxSeen, carried?.completedTaskIds);
    this.#events = orderInboxEvents(carried?.bufferedEvents ?? []);
    this.#tasks = [...(carried?.bufferedTasks ?? [])];
  }

  /**
   * Keeps an event for the waits of this run; `false` when the run took it already or holds it
   * (a duplicate, ignored). The buffer is bounded (oldest dropped first): a dropped event is still
   * in the durable inbox, which the next wait reads when it opens.
   */
  offerEvent(event: RoutedEvent): boolean {
    if (this.#taken.has(event.eventId)) return false;
    const held = this.#events.find((e) => e.eventId === event.eventId);
    if (held) {
      // The copy of an entity's event routed by its plain correlation key (no sequence number: an
      // entity wait refuses it, EVENT_NOT_OF_ENTITY) gives way to the same event admitted to the entity.
      if (held.sequence !== undefined || event.sequence === undefined) return false;
      this.#events = this.#events.filter((e) => e !== held);
      for (const refused of this.#refused.values()) refused.delete(event.eventId);
    }
    this.#events = orderInboxEvents([...this.#events, event]);
    if (this.#events.length > this.#maxBuffered) this.#events.shift();
    return true;
  }

  /** The interpreter accepted the event: this run has taken it. */
  eventTaken(eventId: string): void {
    this.#taken.add(eventId);
    this.#events = this.#events.filter((e) => e.eventId !== eventId);
  }

  /** The wait refused the event (filter false, before its window): offer it to other waits only. */
  eventRefused(waitId: string, eventId: string): void {
    const refused = this.#refused.get(waitId) ?? new Set<string>();
    refused.add(eventId);
    this.#refused.set(waitId, refused);
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

  #eventFor(request: EventInboxRequest): RoutedEvent | undefined {
    const refused = this.#refused.get(request.waitId);
    return this.#events.find((event) => inboxEventMatches(request, event) && !refused?.has(event.eventId));
  }

  /** The next message an open wait can take (left in the buffer until {@link eventTaken}). */
  take(waits: readonly EventInboxRequest[], pending: readonly PendingCommand[]): InboxMatch | undefined {
    this.#forgetClosed(waits);
    for (const request of waits) {
      const event = this.#eventFor(request);
      if (event) return { kind: 'event', waitId: request.waitId, event };
    }
    for (const command of pending) {
      if (command.type !== 'AwaitHumanTask') continue;
      const index = this.#tasks.findIndex((task) => task.taskId === command.taskId);
      if (index >= 0) {
        const [completion] = this.#tasks.splice(index, 1);
        return { kind: 'task', completion: completion! };
      }
    }
    return undefined;
  }

  /** True when {@link take} would return something. */
  hasMatch(waits: readonly EventInboxRequest[], pending: readonly PendingCommand[]): boolean {
    return (
      waits.some((request) => this.#eventFor(request) !== undefined) ||
      pending.some((command) => command.type === 'AwaitHumanTask' && this.#tasks.some((task) => task.taskId === command.taskId))
    );
  }

  #forgetClosed(waits: readonly EventInboxRequest[]): void {
    for (const waitId of this.#refused.keys()) if (!waits.some((w) => w.waitId === waitId)) this.#refused.delete(waitId);
  }

  get bufferedEventCount(): number {
    return this.#events.length;
  }

  /** The part of the inbox the next Temporal run needs. */
  carry(): Omit<CarriedRunState, 'state'> {
    return {
      bufferedEvents: [...this.#events],
      seenEventIds: this.#taken.toArray(),
      bufferedTasks: [...this.#tasks],
      completedTaskIds: this.#completedTasks.toArray(),
    };
  }
}
