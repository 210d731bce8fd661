// What an open event wait asks of the event inbox (SPEC-dsl "Event inbox"), computed once for every
// driver: which (eventName, correlationKey) it takes, from when, and in which order candidates are
// offered. Drivers read candidates from their store and feed them to `advance` in this order; the
// first one the interpreter accepts is the one the wait takes.
import type { RoutedEvent } from '@baton/event-schemas';
import type { InterpreterState } from './state.js';

/** How many inbox candidates a driver reads per wait and round (earliest first). */
export const EVENT_INBOX_BATCH = 100;

/** One open event wait's question to the inbox. */
export interface EventInboxRequest {
  readonly waitId: string;
  readonly eventName: string;
  readonly correlationKey: string;
  /** Oldest receive time of an event the wait takes (ISO); not used by an entity wait. */
  readonly since: string;
  /**
   * An entity wait (SPEC-dsl "Entity workflows"): the candidates are the events of the run's entity
   * queue (the trigger's event name, the entity key) it has not taken, in sequence order.
   */
  readonly entity?: true;
}

/** The inbox requests of the run's open event waits (empty when none is open). */
export function eventInboxRequests(state: InterpreterState): EventInboxRequest[] {
  const requests: EventInboxRequest[] = [];
  for (const command of state.outstanding) {
    if (command.type !== 'AwaitEvent') continue;
    requests.push({
      waitId: command.waitId,
      eventName: command.eventName,
      correlationKey: command.correlationKey,
      since: command.since ?? state.context.startedAt,
      ...(command.entity ? { entity: true as const } : {}),
    });
  }
  return requests;
}

/**
 * True when `event` is one the request may take by name, key and receive time (the filter is the
 * interpreter's). An entity wait takes only entity events (with a sequence), whatever their receive time.
 */
export function inboxEventMatches(request: EventInboxRequest, event: RoutedEvent): boolean {
  if (event.eventName !== request.eventName || event.correlationKey !== request.correlationKey) return false;
  if (request.entity) return event.sequence !== undefined;
  return event.receivedAt === undefined || Date.parse(event.receivedAt) >= Date.parse(request.since);
}

/**
 * Candidates in the order a wait takes them: two entity events by sequence number (their arrival order
 * for the entity); otherwise earliest received first, then by event id (stable across engines).
 */
export function orderInboxEvents<E extends RoutedEvent>(events: readonly E[]): E[] {
  const at = (e: E) => (e.receivedAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(e.receivedAt));
  return [...events].sort((a, b) => {
    if (a.sequence !== undefined && b.sequence !== undefined && a.sequence !== b.sequence) return a.sequence - b.sequence;
    return at(a) - at(b) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
  });
}
