import { sql, type Kysely } from 'kysely';
import type { JsonValue } from '@baton/event-schemas';
import { EVENT_INBOX_BATCH, type EventInbox, type InboxEvent } from '@baton/runtime-core';
import type { Database } from '../database/database-types.js';
import { toIso } from '../database/timestamps.js';
import { createPostgresEntityStore } from './postgres-entity-store.js';
import { groupedHotRead, type HotReadOptions } from './hot-reads.js';

interface CandidateRow {
  event_id: string;
  event_name: string;
  correlation_key: string;
  received_at: Date | string;
  payload: unknown;
}

/**
 * The candidates of non-entity waits, grouped (hot-reads.ts): per request `$1` tenant, `$2` event name,
 * `$3` key, `$4` since, `$5` run id, `$6` limit, `$7` the reading wait (one array element each).
 */
const candidatesText = (table: (name: string) => string) => `
SELECT k.req, c.event_id, c.event_name, c.correlation_key, c.received_at, c.payload
FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::int[], $7::text[])
  WITH ORDINALITY AS k(tenant_id, event_name, correlation_key, since, run_id, lim, wait_id, req)
CROSS JOIN LATERAL (
  SELECT i.event_id, i.event_name, i.correlation_key, i.received_at, e.payload
  FROM ${table('workflow_event_inbox')} AS i
  JOIN ${table('workflow_runtime_events')} AS e ON e.tenant_id = i.tenant_id AND e.event_id = i.event_id
  WHERE i.tenant_id = k.tenant_id AND i.event_name = k.event_name AND i.correlation_key = k.correlation_key AND i.received_at >= k.since
    AND NOT EXISTS (SELECT 1 FROM ${table('workflow_run_waits')} AS w WHERE w.run_id = k.run_id AND w.resolved_by = i.event_id AND w.wait_type = 'EVENT' AND w.wait_id <> k.wait_id)
  ORDER BY i.received_at, i.event_id
  LIMIT k.lim
) AS c
ORDER BY k.req, c.received_at, c.event_id`;

/**
 * `EventInbox` over `workflow_event_inbox` (payloads from the audit rows). A run has taken an event
 * when one of its EVENT waits was resolved by that event id (`workflow_run_waits.resolved_by`): the
 * Postgres engine writes it with the resolution, a Temporal run's projection writes it when its wait closes.
 *
 * The reading wait's own resolution does not count: a Temporal workflow task that took an event and
 * then failed (a signal arrived as it completed: UnhandledCommand) left its projection's writes
 * behind, and its retry opens the same wait again and must be offered that same event, or the run
 * skips it (and an entity run takes its queue out of order).
 */
export function createPostgresEventInbox(db: Kysely<Database>, hot?: HotReadOptions): EventInbox {
  const entities = createPostgresEntityStore(db);
  // A wait that opens reads the inbox once: on the engine's path as a named statement, the waits that
  // open meanwhile read together (hot-reads.ts `groupedHotRead`).
  const readCandidates = hot ? groupedHotRead(hot, 'inbox_candidates', candidatesText) : undefined;
  return {
    async candidates(tenant, query) {
      // An entity wait takes the run's entity queue, in sequence order (SPEC-dsl "Entity workflows").
      if (query.entity) {
        return entities.candidates(tenant, {
          runId: query.runId,
          waitId: query.waitId,
          eventName: query.eventName,
          entityKey: query.correlationKey,
          limit: query.limit ?? EVENT_INBOX_BATCH,
        });
      }
      const limit = query.limit ?? EVENT_INBOX_BATCH;
      const rows: CandidateRow[] = readCandidates
        ? await readCandidates<CandidateRow>([tenant, query.eventName, query.correlationKey, new Date(query.since), query.runId, limit, query.waitId])
        : await db
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
                .where('w.wait_type', '=', 'EVENT')
                .where('w.wait_id', '<>', query.waitId),
            ),
          ),
        )
        .orderBy('i.received_at')
        .orderBy('i.event_id')
        .limit(limit)
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
