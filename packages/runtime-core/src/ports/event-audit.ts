import type { CorrelationSource, JsonValue, RoutedRun, StartedRun } from '@baton/event-schemas';

/** An event as received, before routing. */
export interface ReceivedEvent {
  readonly eventId: string;
  readonly eventName: string;
  /** the envelope's own key, as sent */
  readonly correlationKey?: string;
  readonly payload: JsonValue;
  readonly occurredAt?: string;
  readonly receivedAt: string;
  /** The resolved correlation key: a new event enters the event inbox under it (none: not kept for later waits). */
  readonly inboxKey?: string;
}

/** Something that went wrong while routing an event. */
export interface EventRoutingError {
  readonly code: string;
  readonly message: string;
  readonly runId?: string;
  readonly workflow?: string;
  /** true when a redelivery of the event may succeed (engine unavailable or failing) */
  readonly retryable: boolean;
}

/** How routing of an event ended: `PROCESSED`, or `FAILED` (a retryable error; route again on redelivery). */
export const EventProcessingStatus = {
  RECEIVED: 'RECEIVED',
  PROCESSED: 'PROCESSED',
  FAILED: 'FAILED',
} as const;
export type EventProcessingStatus = (typeof EventProcessingStatus)[keyof typeof EventProcessingStatus];

/** The outcome of routing an event, stored on its audit row. */
export interface EventOutcome {
  readonly status: Exclude<EventProcessingStatus, 'RECEIVED'>;
  readonly correlationKey: string | null;
  readonly correlationSource: CorrelationSource;
  readonly routed: readonly RoutedRun[];
  readonly startedRuns: readonly StartedRun[];
  readonly errors: readonly EventRoutingError[];
  readonly processedAt: string;
}

/** The audit row of an event. */
export interface EventAuditRecord extends ReceivedEvent {
  readonly tenant: string;
  readonly status: EventProcessingStatus;
  /** how many times the event was received */
  readonly deliveries: number;
  /** the last outcome, absent until routing finished once */
  readonly outcome?: EventOutcome;
}

/** What `record` found. */
export interface RecordEventResult {
  /** an event with this id was received before */
  readonly duplicate: boolean;
  /** ...and its routing finished (`PROCESSED`): nothing may be routed again */
  readonly alreadyProcessed: boolean;
  readonly record: EventAuditRecord;
}

/** The routing outcome of one event of a batch (`markProcessedMany`). */
export interface EventOutcomeEntry {
  readonly eventId: string;
  readonly outcome: EventOutcome;
}

/** Page of `EventAudit.list`; the most recently received events first. */
export interface EventAuditListQuery {
  /** page size; the store may cap it */
  readonly limit: number;
  /** the `nextCursor` of the previous page */
  readonly cursor?: string;
  /** only the events that resolved a wait of this run of the tenant (`workflow_run_waits.resolved_by`) */
  readonly runId?: string;
}

/** One page of audited events. */
export interface EventAuditPage {
  readonly items: readonly EventAuditRecord[];
  /** `null` on the last page */
  readonly nextCursor: string | null;
}

/** The audit of received events, deduplicated by (tenant, eventId). */
export interface EventAudit {
  /** Records the event unless known (atomic insert-if-absent) and counts the delivery. */
  record(tenant: string, event: ReceivedEvent): Promise<RecordEventResult>;
  /**
   * `record` for a batch in one step, answering in the order of `events`. An event id repeated in
   * `events` is one row: every occurrence counts a delivery, the first answers as `record` would,
   * the later ones answer `duplicate: true`.
   */
  recordMany(tenant: string, events: readonly ReceivedEvent[]): Promise<readonly RecordEventResult[]>;
  /** Stores the routing outcome; a `FAILED` outcome leaves the event to be routed again. */
  markProcessed(tenant: string, eventId: string, outcome: EventOutcome): Promise<void>;
  /** `markProcessed` for a batch of distinct event ids in one step. */
  markProcessedMany(tenant: string, entries: readonly EventOutcomeEntry[]): Promise<void>;
  get(tenant: string, eventId: string): Promise<EventAuditRecord | undefined>;
  /** The tenant's events, most recently received first (ties by event id, descending), paged by cursor. */
  list(tenant: string, query: EventAuditListQuery): Promise<EventAuditPage>;
}
