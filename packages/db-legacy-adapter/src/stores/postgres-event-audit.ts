import { sql, type Kysely, type Selectable } from 'kysely';
import type { JsonValue } from '@baton/event-schemas';
import { invalidCursorError, type EventAudit, type EventAuditRecord, type EventOutcome, type ReceivedEvent, type RecordEventResult } from '@baton/runtime-core';
import type { Database, WorkflowRuntimeEventsTable } from '../database/database-types.js';
import { json, toIso, toIsoOrUndefined } from '../database/timestamps.js';
import { hotRead, type HotReadOptions } from './hot-reads.js';

type EventRow = Selectable<WorkflowRuntimeEventsTable>;

/** Largest page `list` returns. */
const MAX_EVENT_PAGE = 200;

/** A routing outcome as the columns `markProcessedMany` sets (typed as kysely's update values of those columns). */
interface OutcomeRow {
  event_id: string;
  status: WorkflowRuntimeEventsTable['status'];
  correlation_key: string | null;
  correlation_source: WorkflowRuntimeEventsTable['correlation_source'];
  routed_runs: string | null;
  started_runs: string | null;
  errors: string | null;
  processed_at: string;
}

function toAuditRecord(row: EventRow): EventAuditRecord {
  const occurredAt = toIsoOrUndefined(row.occurred_at);
  const processedAt = toIsoOrUndefined(row.processed_at);
  const outcome: EventOutcome | undefined =
    processedAt && row.status !== 'RECEIVED'
      ? {
          status: row.status,
          correlationKey: row.correlation_key,
          correlationSource: row.correlation_source ?? 'missing',
          routed: (row.routed_runs ?? []) as EventOutcome['routed'],
          startedRuns: (row.started_runs ?? []) as EventOutcome['startedRuns'],
          errors: (row.errors ?? []) as EventOutcome['errors'],
          processedAt,
        }
      : undefined;
  return {
    tenant: row.tenant_id,
    eventId: row.event_id,
    eventName: row.event_name,
    payload: row.payload as JsonValue,
    receivedAt: toIso(row.received_at),
    status: row.status,
    deliveries: row.deliveries,
    ...(row.envelope_correlation_key !== null ? { correlationKey: row.envelope_correlation_key } : {}),
    ...(occurredAt ? { occurredAt } : {}),
    ...(outcome ? { outcome } : {}),
  };
}

/** The row of a received event (`deliveries` of them). */
function insertRow(tenant: string, event: ReceivedEvent, deliveries: number) {
  return {
    tenant_id: tenant,
    event_id: event.eventId,
    event_name: event.eventName,
    envelope_correlation_key: event.correlationKey ?? null,
    payload: json(event.payload),
    occurred_at: event.occurredAt ?? null,
    received_at: event.receivedAt,
    status: 'RECEIVED' as const,
    deliveries,
    correlation_key: event.inboxKey ?? null,
  };
}

/**
 * Inserts event rows (or counts another delivery of known ids) and, in the same statement, the inbox
 * row of every new event with a resolved key: an event is in the inbox from the moment it is recorded.
 */
function insertEvents(db: Kysely<Database>, rows: ReturnType<typeof insertRow>[]) {
  return db
    .with('ins', (qb) =>
      qb
        .insertInto('workflow_runtime_events')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'event_id']).doUpdateSet((eb) => ({ deliveries: eb('workflow_runtime_events.deliveries', '+', eb.ref('excluded.deliveries')) })),
        )
        .returningAll()
        .returning(sql<boolean>`xmax = 0`.as('inserted')),
    )
    .with('inbox', (qb) =>
      qb
        .insertInto('workflow_event_inbox')
        .columns(['tenant_id', 'event_id', 'event_name', 'correlation_key', 'received_at'])
        .expression((eb) =>
          eb
            .selectFrom('ins')
            .select(['ins.tenant_id', 'ins.event_id', 'ins.event_name', sql<string>`ins.correlation_key`.as('correlation_key'), 'ins.received_at'])
            .where('ins.inserted', '=', true)
            .where('ins.correlation_key', 'is not', null),
        )
        .onConflict((oc) => oc.doNothing()),
    )
    .selectFrom('ins')
    .selectAll();
}

/** {@link insertEvents} as one named statement over a JSON array of rows (`$1`): the event path's write (hot-reads.ts). */
const recordEventsText = (table: (name: string) => string) => `
WITH x AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id text, event_id text, event_name text, envelope_correlation_key text,
    payload jsonb, occurred_at timestamptz, received_at timestamptz, deliveries int, correlation_key text)
),
ins AS (
  INSERT INTO ${table('workflow_runtime_events')} AS e (tenant_id, event_id, event_name, envelope_correlation_key, payload, occurred_at,
    received_at, status, deliveries, correlation_key)
  SELECT x.tenant_id, x.event_id, x.event_name, x.envelope_correlation_key, coalesce(x.payload, 'null'::jsonb), x.occurred_at,
    x.received_at, 'RECEIVED', x.deliveries, x.correlation_key
  FROM x
  ON CONFLICT (tenant_id, event_id) DO UPDATE SET deliveries = e.deliveries + excluded.deliveries
  RETURNING e.*, (xmax = 0) AS inserted
),
inbox AS (
  INSERT INTO ${table('workflow_event_inbox')} (tenant_id, event_id, event_name, correlation_key, received_at)
  SELECT ins.tenant_id, ins.event_id, ins.event_name, ins.correlation_key, ins.received_at FROM ins
  WHERE ins.inserted AND ins.correlation_key IS NOT NULL
  ON CONFLICT DO NOTHING
)
SELECT * FROM ins`;

/** `markProcessedMany` as one named statement (`$1` tenant, `$2` outcomes as a JSON array, `$3` their event ids). */
const markProcessedText = (table: (name: string) => string) => `
UPDATE ${table('workflow_runtime_events')} AS e SET status = x.status, correlation_key = x.correlation_key,
  correlation_source = x.correlation_source, routed_runs = x.routed_runs, started_runs = x.started_runs, errors = x.errors,
  processed_at = x.processed_at
FROM jsonb_to_recordset($2::jsonb) AS x(event_id text, status text, correlation_key text, correlation_source text, routed_runs jsonb,
  started_runs jsonb, errors jsonb, processed_at timestamptz)
WHERE e.tenant_id = $1 AND e.event_id = ANY($3::text[]) AND e.event_id = x.event_id
  AND (x.status = 'PROCESSED' OR e.status <> 'PROCESSED')`;

/**
 * `EventAudit` over `workflow_runtime_events`, deduplicated by (tenant, event id). With `hot`, the
 * two writes of every event batch (`recordMany`, `markProcessedMany`) are named statements over JSON
 * arrays (parsed and planned once per connection) instead of kysely-built ones.
 */
export function createPostgresEventAudit(db: Kysely<Database>, hot?: HotReadOptions): EventAudit {
  const recordEvents = hot ? hotRead(hot, 'record_events', recordEventsText) : undefined;
  const markProcessed = hot ? hotRead(hot, 'mark_events_processed', markProcessedText) : undefined;
  return {
    async record(tenant, event) {
      // One statement: insert, or count another delivery; xmax = 0 tells a fresh insert apart.
      const row = await insertEvents(db, [insertRow(tenant, event, 1)]).executeTakeFirstOrThrow();
      const record = toAuditRecord(row);
      return { duplicate: !row.inserted, alreadyProcessed: row.status === 'PROCESSED', record };
    },

    async recordMany(tenant, events) {
      if (events.length === 0) return [];
      // One row per event id (a statement may not touch a row twice), carrying how often it came.
      const firsts = new Map<string, { event: ReceivedEvent; count: number }>();
      for (const event of events) {
        const seen = firsts.get(event.eventId);
        if (seen) seen.count += 1;
        else firsts.set(event.eventId, { event, count: 1 });
      }
      const rows: (EventRow & { inserted: boolean })[] = recordEvents
        ? await recordEvents([JSON.stringify([...firsts.values()].map(({ event, count }) => ({ ...insertRow(tenant, event, count), payload: event.payload })))])
        : await insertEvents(
            db,
            [...firsts.values()].map(({ event, count }) => insertRow(tenant, event, count)),
          ).execute();
      const byId = new Map(rows.map((row) => [row.event_id, row]));
      const answered = new Set<string>();
      return events.map((event): RecordEventResult => {
        const row = byId.get(event.eventId)!;
        const first = !answered.has(event.eventId);
        answered.add(event.eventId);
        return { duplicate: !(first && row.inserted), alreadyProcessed: row.status === 'PROCESSED', record: toAuditRecord(row) };
      });
    },

    async markProcessedMany(tenant, entries) {
      if (entries.length === 0) return;
      const outcomes = entries.map(({ eventId, outcome }) => ({
        event_id: eventId,
        status: outcome.status,
        correlation_key: outcome.correlationKey,
        correlation_source: outcome.correlationSource,
        routed_runs: outcome.routed,
        started_runs: outcome.startedRuns,
        errors: outcome.errors,
        processed_at: outcome.processedAt,
      }));
      if (markProcessed) {
        await markProcessed([tenant, JSON.stringify(outcomes), entries.map((e) => e.eventId)]);
        return;
      }
      await db
        .updateTable('workflow_runtime_events as e')
        .from(
          sql<OutcomeRow>`(SELECT * FROM jsonb_to_recordset(${json(outcomes)}::jsonb) AS r(event_id text, status text, correlation_key text,
            correlation_source text, routed_runs jsonb, started_runs jsonb, errors jsonb, processed_at timestamptz))`.as('x'),
        )
        .set((eb) => ({
          status: eb.ref('x.status'),
          correlation_key: eb.ref('x.correlation_key'),
          correlation_source: eb.ref('x.correlation_source'),
          routed_runs: eb.ref('x.routed_runs'),
          started_runs: eb.ref('x.started_runs'),
          errors: eb.ref('x.errors'),
          processed_at: eb.ref('x.processed_at'),
        }))
        .where('e.tenant_id', '=', tenant)
        .where(
          'e.event_id',
          'in',
          entries.map((e) => e.eventId),
        )
        .whereRef('e.event_id', '=', 'x.event_id')
        // A late FAILED (a slower, crashed-and-redelivered attempt) never reopens a processed event.
        .where((eb) => eb.or([eb('x.status', '=', 'PROCESSED'), eb('e.status', '<>', 'PROCESSED')]))
        .execute();
    },

    async markProcessed(tenant, eventId, outcome) {
      let update = db
        .updateTable('workflow_runtime_events')
        .set({
          status: outcome.status,
          correlation_key: outcome.correlationKey,
          correlation_source: outcome.correlationSource,
          routed_runs: json(outcome.routed),
          started_runs: json(outcome.startedRuns),
          errors: json(outcome.errors),
          processed_at: outcome.processedAt,
        })
        .where('tenant_id', '=', tenant)
        .where('event_id', '=', eventId);
      // A late FAILED (a slower, crashed-and-redelivered attempt) never reopens a processed event.
      if (outcome.status !== 'PROCESSED') update = update.where('status', '<>', 'PROCESSED');
      await update.execute();
    },

    async list(tenant, q) {
      const limit = Math.max(1, Math.min(q.limit, MAX_EVENT_PAGE));
      let query = db.selectFrom('workflow_runtime_events as e').selectAll('e').where('e.tenant_id', '=', tenant);
      if (q.runId !== undefined) {
        // The events that resolved a wait of the run (indexed by workflow_run_waits_resolved_by).
        const resolvedBy = db
          .selectFrom('workflow_run_waits as w')
          .select('w.resolved_by')
          .where('w.tenant_id', '=', tenant)
          .where('w.run_id', '=', q.runId)
          .where('w.resolved_by', 'is not', null);
        query = query.where('e.event_id', 'in', resolvedBy);
      }
      if (q.cursor) {
        // The cursor is the last event id of the previous page; its (received_at, event_id) is the
        // exact boundary. A cursor naming no event of the tenant is refused (below), not read as an empty last page.
        // compared in SQL: the stamp keeps its microseconds, which a JavaScript Date would drop
        const boundary = db
          .selectFrom('workflow_runtime_events as c')
          .select(['c.received_at', 'c.event_id'])
          .where('c.tenant_id', '=', tenant)
          .where('c.event_id', '=', q.cursor);
        query = query.where(sql<boolean>`(e.received_at, e.event_id) < (${boundary})`);
      }
      const rows = await query.orderBy('e.received_at', 'desc').orderBy('e.event_id', 'desc').limit(limit + 1).execute();
      // A row on the page proves the boundary exists; only an empty page asks whether the cursor is known.
      if (q.cursor && rows.length === 0) {
        const known = await db.selectFrom('workflow_runtime_events').select('event_id').where('tenant_id', '=', tenant).where('event_id', '=', q.cursor).executeTakeFirst();
        if (!known) throw invalidCursorError('cursor is not a nextCursor of GET /v1/events: no event of this tenant has that id');
      }
      const items = rows.slice(0, limit).map(toAuditRecord);
      return { items, nextCursor: rows.length > limit ? (items.at(-1)?.eventId ?? null) : null };
    },

    async get(tenant, eventId) {
      const row = await db.selectFrom('workflow_runtime_events').selectAll().where('tenant_id', '=', tenant).where('event_id', '=', eventId).executeTakeFirst();
      return row ? toAuditRecord(row) : undefined;
    },
  };
}
