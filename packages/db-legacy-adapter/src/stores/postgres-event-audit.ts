import { sql, type Kysely, type Selectable } from 'kysely';
import type { JsonValue } from '@baton/event-schemas';
import type { EventAudit, EventAuditRecord, EventOutcome } from '@baton/runtime-core';
import type { Database, WorkflowRuntimeEventsTable } from '../database/database-types.js';
import { json, toIso, toIsoOrUndefined } from '../database/timestamps.js';

type EventRow = Selectable<WorkflowRuntimeEventsTable>;

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

/** `EventAudit` over `workflow_runtime_events`, deduplicated by (tenant, event id). */
export function createPostgresEventAudit(db: Kysely<Database>): EventAudit {
  return {
    async record(tenant, event) {
      // One statement: insert, or count another delivery; xmax = 0 tells a fresh insert apart.
      const row = await db
        .insertInto('workflow_runtime_events')
        .values({
          tenant_id: tenant,
          event_id: event.eventId,
          event_name: event.eventName,
          envelope_correlation_key: event.correlationKey ?? null,
          payload: json(event.payload),
          occurred_at: event.occurredAt ?? null,
          received_at: event.receivedAt,
          status: 'RECEIVED',
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'event_id']).doUpdateSet((eb) => ({ deliveries: eb('workflow_runtime_events.deliveries', '+', 1) })))
        .returningAll()
        .returning(sql<boolean>`xmax = 0`.as('inserted'))
        .executeTakeFirstOrThrow();
      const record = toAuditRecord(row);
      return { duplicate: !row.inserted, alreadyProcessed: row.status === 'PROCESSED', record };
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

    async get(tenant, eventId) {
      const row = await db.selectFrom('workflow_runtime_events').selectAll().where('tenant_id', '=', tenant).where('event_id', '=', eventId).executeTakeFirst();
      return row ? toAuditRecord(row) : undefined;
    },
  };
}
