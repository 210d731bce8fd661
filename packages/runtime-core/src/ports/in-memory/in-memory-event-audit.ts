import type { EventAudit, EventAuditListQuery, EventAuditPage, EventAuditRecord, EventOutcome, EventOutcomeEntry, ReceivedEvent, RecordEventResult } from '../event-audit.js';
import { invalidCursorError } from '../../errors/baton-error.js';
import type { InMemoryEventInbox } from './in-memory-event-inbox.js';
import { tenantKey } from './tenant-key.js';

function newestFirst(a: EventAuditRecord, b: EventAuditRecord): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt < b.receivedAt ? 1 : -1;
  return a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0;
}

/** The event ids that resolved a wait of a run (the in-memory wait index answers it). */
export type ResolvedEventIds = (tenant: string, runId: string) => ReadonlySet<string>;

export interface InMemoryEventAuditOptions {
  /** receives every new event that has an `inboxKey` (none: no inbox is kept) */
  readonly inbox?: InMemoryEventInbox;
  /** the wait index's answer for `list` with `runId` (none: such a list is empty) */
  readonly takenBy?: ResolvedEventIds;
}

/** An {@link EventAudit} in process memory, for tests and the reference harness. */
export class InMemoryEventAudit implements EventAudit {
  readonly #events = new Map<string, EventAuditRecord>();
  readonly #inbox: InMemoryEventInbox | undefined;
  readonly #takenBy: ResolvedEventIds | undefined;

  constructor(options: InMemoryEventAuditOptions = {}) {
    this.#inbox = options.inbox;
    this.#takenBy = options.takenBy;
  }

  async record(tenant: string, event: ReceivedEvent): Promise<RecordEventResult> {
    const key = tenantKey(tenant, event.eventId);
    const existing = this.#events.get(key);
    if (existing) {
      const again: EventAuditRecord = { ...existing, deliveries: existing.deliveries + 1 };
      this.#events.set(key, again);
      return { duplicate: true, alreadyProcessed: again.status === 'PROCESSED', record: structuredClone(again) };
    }
    const record: EventAuditRecord = structuredClone({ ...event, tenant, status: 'RECEIVED', deliveries: 1 });
    this.#events.set(key, record);
    if (event.inboxKey !== undefined) {
      this.#inbox?.add(tenant, { eventId: event.eventId, eventName: event.eventName, correlationKey: event.inboxKey, payload: event.payload, receivedAt: event.receivedAt });
    }
    return { duplicate: false, alreadyProcessed: false, record: structuredClone(record) };
  }

  async recordMany(tenant: string, events: readonly ReceivedEvent[]): Promise<readonly RecordEventResult[]> {
    const results: RecordEventResult[] = [];
    for (const event of events) results.push(await this.record(tenant, event));
    return results;
  }

  async markProcessedMany(tenant: string, entries: readonly EventOutcomeEntry[]): Promise<void> {
    for (const entry of entries) await this.markProcessed(tenant, entry.eventId, entry.outcome);
  }

  async markProcessed(tenant: string, eventId: string, outcome: EventOutcome): Promise<void> {
    const key = tenantKey(tenant, eventId);
    const existing = this.#events.get(key);
    if (!existing) throw new Error(`event ${eventId} was never recorded`);
    // A processed event stays processed: a late FAILED outcome of a concurrent redelivery must not reopen it.
    if (existing.status === 'PROCESSED') return;
    this.#events.set(key, { ...existing, status: outcome.status, outcome: structuredClone(outcome) });
  }

  async get(tenant: string, eventId: string): Promise<EventAuditRecord | undefined> {
    const found = this.#events.get(tenantKey(tenant, eventId));
    return found && structuredClone(found);
  }

  async list(tenant: string, query: EventAuditListQuery): Promise<EventAuditPage> {
    const resolved = query.runId === undefined ? undefined : (this.#takenBy?.(tenant, query.runId) ?? new Set<string>());
    const boundary = query.cursor ? this.#events.get(tenantKey(tenant, query.cursor)) : undefined;
    if (query.cursor && !boundary) throw invalidCursorError('cursor is not a nextCursor of GET /v1/events: no event of this tenant has that id');
    const matching = [...this.#events.values()]
      .filter((e) => e.tenant === tenant && (resolved === undefined || resolved.has(e.eventId)))
      .sort(newestFirst)
      .filter((e) => boundary === undefined || newestFirst(e, boundary) > 0);
    const limit = Math.max(1, Math.floor(query.limit));
    const items = matching.slice(0, limit).map((e) => structuredClone(e));
    return { items, nextCursor: matching.length > limit ? items.at(-1)!.eventId : null };
  }
}
