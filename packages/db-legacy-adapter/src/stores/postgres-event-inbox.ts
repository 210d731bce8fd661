import { sql, type Kysely } from 'kysely';
import type { JsonValue } from '@baton/event-schemas';
import { EVENT_INBOX_BATCH, type EventInbox, type InboxEvent } from '@baton/runtime-core';
import type { Database } from '../database/database-types.js';
import { toIso } from '../database/timestamps.js';
import { createPostgresEntityStore } from './postgres-entity-store.js';

/**
 * `EventInbox` over `workflow_event_inbox` (payloads from the audit rows). A run has taken an event
 * when one of its EVENT waits was resolved by that event id (`workflow_run_waits.resolved_by`): the
 * Postgres engine writes it with the resolution, a Temporal run's projection writes it when its wait closes.
 */
export function createPostgresEventInbox(db: Kysely<Database>): EventInbox {
  const entities = createPostgresEntityStore(db);
  return {
    async candidates(tenant, query) {
      // An entity wait takes the run's entity queue, in sequence order (SPEC-dsl "Entity workflows").
      if (query.entity) {
        return entities.candidates(tenant, { runId: query.runId, eventName: query.eventName, entityKey: query.correlationKey, limit: query.limit ?? EVENT_INBOX_BATCH });
      }
      const rows = await db
        .selectFrom('workflow_event_inbox as i')
        .innerJoin('workflow_runtime_events as e', (join) => join.onRef('e.tenant_id', '=', 'i.tenant_id').onRef('e.event_id', '=', 'i.event_id'))
        .select(['i.event_id', 'i.event_name', 'i.correlation_key', 'i.received_at', 'e.payload'])
        .where('i.tenant_id', '=', tenant)
        .where('i.event_name', '=', query.eventName)
        .where('i.correlation_key', '=', query.correlationKey)
        .where('i.received_at', '>=', new Date(query.since))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('workflow_run_waits as w')
                .select(sql`1`.as('one'))
                .where('w.run_id', '=', query.runId)
                .whereRef('w.resolved_by', '=', 'i.event_id')
                .where('w.wait_type', '=', 'EVENT'),
            ),
          ),
        )
        .orderBy('i.received_at')
        .orderBy('i.event_id')
        .limit(query.limit ?? EVENT_INBOX_BATCH)
        .execute();
      return rows.map(
        (r): InboxEvent => ({
          eventId: r.event_id,
          eventName: r.event_name,
          correlationKey: r.correlation_key,
          payload: r.payload as JsonValue,
          receivedAt: toIso(r.received_at),
        }),
      );
    },

    async prune(receivedBefore, limit) {
      // Bounded: one batch per call, so a large backlog never holds a long transaction.
      const result = await db
        .deleteFrom('workflow_event_inbox')
        .where(
          sql<boolean>`ctid = ANY(ARRAY(${db.selectFrom('workflow_event_inbox').select(sql`ctid`.as('ctid')).where('received_at', '<', new Date(receivedBefore)).limit(limit)}))`,
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
