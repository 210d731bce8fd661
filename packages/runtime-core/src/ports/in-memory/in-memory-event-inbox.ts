import { EVENT_INBOX_BATCH, inboxEventMatches, orderInboxEvents } from '../../interpreter/event-inbox.js';
import type { EventInbox, InboxEvent, InboxQuery } from '../event-inbox.js';

interface Kept {
  readonly tenant: string;
  readonly event: InboxEvent;
}

/**
 * An {@link EventInbox} in process memory (SPEC-dsl "Event inbox"): the event audit adds every new
 * event that has a resolved key, the wait index tells which events a run has taken (the ids that
 * resolved its EVENT waits). Candidates are chosen and ordered by runtime-core's inbox functions,
 * as the Postgres inbox does in SQL.
 */
export class InMemoryEventInbox implements EventInbox {
  readonly #events: Kept[] = [];

  constructor(private readonly takenBy: (tenant: string, runId: string, exceptWaitId: string) => ReadonlySet<string>) {}

  /** Keeps a newly recorded event (the audit calls this once per new event id). */
  add(tenant: string, event: InboxEvent): void {
    this.#events.push({ tenant, event: structuredClone(event) });
  }

  async candidates(tenant: string, query: InboxQuery): Promise<readonly InboxEvent[]> {
    const taken = this.takenBy(tenant, query.runId, query.waitId);
    const matching = this.#events.filter((k) => k.tenant === tenant && inboxEventMatches(query, k.event) && !taken.has(k.event.eventId)).map((k) => k.event);
    return orderInboxEvents(matching)
      .slice(0, query.limit ?? EVENT_INBOX_BATCH)
      .map((e) => structuredClone(e));
  }

  async prune(receivedBefore: string, limit: number): Promise<number> {
    const before = Date.parse(receivedBefore);
    let removed = 0;
    for (let i = 0; i < this.#events.length && removed < limit; ) {
      if (Date.parse(this.#events[i]!.event.receivedAt) < before) {
        this.#events.splice(i, 1);
        removed += 1;
      } else i += 1;
    }
    return removed;
  }
}
