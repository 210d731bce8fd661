import type { RoutedEvent } from '@baton/event-schemas';
import type { EventInboxRequest } from '../interpreter/event-inbox.js';

/** An event of the inbox: a routed event with the time the ingress accepted it. */
export interface InboxEvent extends RoutedEvent {
  readonly receivedAt: string;
}

/** What a wait that opened asks the inbox, for one run. */
export interface InboxQuery extends EventInboxRequest {
  /** The run whose taken events are left out (an event resumes a run at most once). */
  readonly runId: string;
  /** At most this many events. @default EVENT_INBOX_BATCH */
  readonly limit?: number;
}

/**
 * The event inbox (SPEC-dsl "Event inbox"): accepted events with a correlation key, kept for the
 * retention period, so a wait that opens after its event arrived still takes it. Events enter it
 * when the event audit records them (`ReceivedEvent.inboxKey`); a run has taken an event when one
 * of its event waits was resolved by that event id.
 */
export interface EventInbox {
  /**
   * Events of the request's (eventName, correlationKey) received at or after `since` that `runId` has
   * not taken, earliest first. An event taken by the reading wait (`waitId`) itself is still offered to
   * it: a Temporal workflow task that failed after its projection recorded the take is retried, opens
   * the same wait again, and must take the same event.
   */
  candidates(tenant: string, query: InboxQuery): Promise<readonly InboxEvent[]>;
  /** Removes at most `limit` events received before `receivedBefore` (any tenant); answers how many it removed. */
  prune(receivedBefore: string, limit: number): Promise<number>;
}
