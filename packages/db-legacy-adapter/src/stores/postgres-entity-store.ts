import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import { isTerminalRunStatus, type JsonValue, type WorkflowError } from '@baton/event-schemas';
import { BatonError, ErrorCode, type EntityAdmissionResult, type EntityEvent, type EntityStore, type NewRun } from '@baton/runtime-core';
import type { Database } from '../database/database-types.js';
import { json, toIso } from '../database/timestamps.js';
import { newRunRow, toRunRecord } from './run-row-mapping.js';

/** Rounds of "build the run outside the lock, then claim" before an admission gives up (only under a storm of concurrent starts). */
const MAX_START_ROUNDS = 20;

type EventRow = {
  readonly sequence: string;
  readonly event_id: string;
  readonly event_name: string;
  readonly entity_key: string;
  readonly payload: unknown;
  readonly received_at: Date;
};

function toEntityEvent(row: EventRow): EntityEvent {
  return {
    eventId: row.event_id,
    eventName: row.event_name,
    correlationKey: row.entity_key,
    payload: row.payload as JsonValue,
    receivedAt: toIso(row.received_at),
    sequence: Number(row.sequence),
  };
}

/** `true` for a queued event its run has not taken (no EVENT wait of that run was resolved by it). */
function untaken(eb: ExpressionBuilder<Database & { e: Database['workflow_entity_events'] }, 'e'>) {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('workflow_run_waits as w')
        .select(sql`1`.as('one'))
        .whereRef('w.run_id', '=', 'e.run_id')
        .whereRef('w.resolved_by', '=', 'e.event_id')
        .where('w.wait_type', '=', 'EVENT'),
    ),
  );
}

/**
 * `true` for an event `runId` has not taken: the run's taken ids are read once (a hashed subplan),
 * not probed per queued event. The correlated form above lets the planner, with statistics that lag
 * a burst, rescan every wait of the run for each queued event (quadratic in the run's length).
 */
function notTakenBy(eb: ExpressionBuilder<Database & { e: Database['workflow_entity_events'] }, 'e'>, runId: string, exceptWaitId?: string) {
  let taken = eb
    .selectFrom('workflow_run_waits as w')
    .select(sql<string>`w.resolved_by`.as('resolved_by'))
    .where('w.run_id', '=', runId)
    .where('w.resolved_by', 'is not', null)
    .where('w.wait_type', '=', 'EVENT');
  // The reading wait's own resolution does not count (see postgres-event-inbox.ts: a retried workflow task).
  if (exceptWaitId !== undefined) taken = taken.where('w.wait_id', '<>', exceptWaitId);
  return eb('e.event_id', 'not in', taken);
}

/**
 * `EntityStore` over `workflow_entities` (the claim row of each entity, locked by every admission)
 * and `workflow_entity_events` (its queue). Sequence numbers are given out under the claim row's
 * lock, so they follow the commit order of the admissions: a reader never sees sequence n+1 without n.
 * A run is built (trigger input, version, input schema: reads of their own) outside any transaction
 * and claimed in a second one that re-checks that no run went live meanwhile, so an admission never
 * holds a connection while it waits for another.
 */
export function createPostgresEntityStore(db: Kysely<Database>): EntityStore {
  const lockEntity = async (trx: Transaction<Database>, tenant: string, workflow: string, entityKey: string) => {
    await trx
      .insertInto('workflow_entities')
      .values({ tenant_id: tenant, workflow_name: workflow, entity_key: entityKey })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return trx
      .selectFrom('workflow_entities')
      .selectAll()
      .where('tenant_id', '=', tenant)
      .where('workflow_name', '=', workflow)
      .where('entity_key', '=', entityKey)
      .forUpdate()
      .executeTakeFirstOrThrow();
  };

  const runRow = (trx: Kysely<Database>, tenant: string, runId: string | null) =>
    runId === null
      ? Promise.resolve(undefined)
      : trx.selectFrom('workflow_runs').selectAll().where('tenant_id', '=', tenant).where('run_id', '=', runId).executeTakeFirst();

  /** The events a new run of the entity takes, earliest first: those the last run left, then the unassigned ones. */
  const startCandidates = (trx: Kysely<Database>, tenant: string, workflow: string, entityKey: string, lastRunId: string | null) =>
    trx
      .selectFrom('workflow_entity_events as e')
      .select(['e.sequence', 'e.event_id', 'e.event_name', 'e.entity_key', 'e.payload', 'e.received_at'])
      .where('e.tenant_id', '=', tenant)
      .where('e.workflow_name', '=', workflow)
      .where('e.entity_key', '=', entityKey)
      .where('e.role', '=', 'QUEUED')
      .where((eb) => (lastRunId === null ? eb('e.run_id', 'is', null) : eb.or([eb('e.run_id', 'is', null), eb.and([eb('e.run_id', '=', lastRunId), notTakenBy(eb, lastRunId)])])))
      .orderBy('e.sequence')
      .execute();

  return {
    async admit(tenant, admission, build) {
      const { workflow, entityKey, event } = admission;
      // Phase 1: the event gets its sequence number and is queued for the live run (if any).
      const first = await db.transaction().execute(async (trx) => {
        const entity = await lockEntity(trx, tenant, workflow, entityKey);
        const existing = await trx
          .selectFrom('workflow_entity_events')
          .select(['sequence', 'run_id'])
          .where('tenant_id', '=', tenant)
          .where('workflow_name', '=', workflow)
          .where('entity_key', '=', entityKey)
          .where('event_id', '=', event.eventId)
          .executeTakeFirst();
        const current = await runRow(trx, tenant, entity.run_id);
        const live = current && !isTerminalRunStatus(current.status) ? current : undefined;
        if (existing) {
          const owner = existing.run_id === entity.run_id ? current : await runRow(trx, tenant, existing.run_id);
          return { done: true as const, sequence: Number(existing.sequence), duplicate: true, run: owner ?? live };
        }
        const sequence = Number(entity.last_sequence) + 1;
        await trx
          .insertInto('workflow_entity_events')
          .values({
            tenant_id: tenant,
            workflow_name: workflow,
            entity_key: entityKey,
            sequence,
            event_id: event.eventId,
            event_name: event.eventName,
            payload: json(event.payload),
            received_at: event.receivedAt,
            run_id: live?.run_id ?? null,
            role: 'QUEUED',
          })
          .execute();
        await trx
          .updateTable('workflow_entities')
          .set({ last_sequence: sequence, updated_at: sql`now()` })
          .where('tenant_id', '=', tenant)
          .where('workflow_name', '=', workflow)
          .where('entity_key', '=', entityKey)
          .execute();
        if (live) return { done: true as const, sequence, duplicate: false, run: live };
        return { done: false as const, sequence };
      });
      if (first.done) {
        return { sequence: first.sequence, duplicate: first.duplicate, started: false, rejected: [], ...(first.run ? { run: toRunRecord(first.run) } : {}) };
      }

      // Phase 2: no run is live; the earliest untaken event starts one.
      const rejected: { event: EntityEvent; error: WorkflowError }[] = [];
      let built: { readonly event: EntityEvent; readonly run: NewRun } | undefined;
      for (let round = 0; round < MAX_START_ROUNDS; round += 1) {
        const outcome = await db.transaction().execute(async (trx): Promise<EntityAdmissionResult | { readonly next: EntityEvent } | { readonly none: true }> => {
          const entity = await lockEntity(trx, tenant, workflow, entityKey);
          const current = await runRow(trx, tenant, entity.run_id);
          if (current && !isTerminalRunStatus(current.status)) {
            // Another admission started a run meanwhile; it took over the queued events (this one included).
            return { sequence: first.sequence, duplicate: false, started: false, rejected, run: toRunRecord(current) };
          }
          const candidates = await startCandidates(trx, tenant, workflow, entityKey, entity.run_id);
          const head = candidates[0];
          if (!head) return { none: true };
          const headEvent = toEntityEvent(head);
          if (!built || built.event.eventId !== headEvent.eventId) return { next: headEvent };
          const inserted = await trx.insertInto('workflow_runs').values(newRunRow(tenant, built.run)).returningAll().executeTakeFirstOrThrow();
          await trx
            .updateTable('workflow_entity_events')
            .set({ role: 'START', run_id: inserted.run_id })
            .where('tenant_id', '=', tenant)
            .where('workflow_name', '=', workflow)
            .where('entity_key', '=', entityKey)
            .where('event_id', '=', head.event_id)
            .execute();
          const rest = candidates.slice(1).map((c) => c.event_id);
          if (rest.length) {
            await trx
              .updateTable('workflow_entity_events')
              .set({ run_id: inserted.run_id })
              .where('tenant_id', '=', tenant)
              .where('workflow_name', '=', workflow)
              .where('entity_key', '=', entityKey)
              .where('event_id', 'in', rest)
              .execute();
          }
          await trx
            .updateTable('workflow_entities')
            .set({ run_id: inserted.run_id, updated_at: sql`now()` })
            .where('tenant_id', '=', tenant)
            .where('workflow_name', '=', workflow)
            .where('entity_key', '=', entityKey)
            .execute();
          return { sequence: first.sequence, duplicate: false, started: true, startEvent: headEvent, rejected, run: toRunRecord(inserted) };
        });
        if ('none' in outcome) return { sequence: first.sequence, duplicate: false, started: false, rejected };
        if (!('next' in outcome)) return outcome;
        const answer = await build(outcome.next);
        if ('run' in answer) {
          built = { event: outcome.next, run: answer.run };
          continue;
        }
        // This event cannot start a run (its trigger input or the input schema refused it): it is never taken.
        await db
          .updateTable('workflow_entity_events')
          .set({ role: 'REJECTED', run_id: null, error: json(answer.rejected) })
          .where('tenant_id', '=', tenant)
          .where('workflow_name', '=', workflow)
          .where('entity_key', '=', entityKey)
          .where('event_id', '=', outcome.next.eventId)
          .where('role', '=', 'QUEUED')
          .execute();
        rejected.push({ event: outcome.next, error: answer.rejected });
        built = undefined;
      }
      throw new BatonError(ErrorCode.INTERNAL, `entity "${entityKey}" of ${workflow}: no run could be claimed in ${MAX_START_ROUNDS} rounds`, {
        details: { workflow, entityKey },
      });
    },

    async candidates(tenant, query) {
      const rows = await db
        .selectFrom('workflow_entity_events as e')
        .select(['e.sequence', 'e.event_id', 'e.event_name', 'e.entity_key', 'e.payload', 'e.received_at'])
        .where('e.run_id', '=', query.runId)
        .where('e.role', '=', 'QUEUED')
        .where('e.tenant_id', '=', tenant)
        .where('e.event_name', '=', query.eventName)
        .where('e.entity_key', '=', query.entityKey)
        .where((eb) => notTakenBy(eb, query.runId, query.waitId))
        .orderBy('e.sequence')
        .limit(query.limit)
        .execute();
      return rows.map(toEntityEvent);
    },

    async nextEvent(tenant, runId, eventName) {
      const row = await db
        .selectFrom('workflow_entity_events as e')
        .select(['e.sequence', 'e.event_id', 'e.event_name', 'e.entity_key', 'e.payload', 'e.received_at'])
        .where('e.run_id', '=', runId)
        .where('e.role', '=', 'QUEUED')
        .where('e.tenant_id', '=', tenant)
        .where('e.event_name', '=', eventName)
        .where((eb) => notTakenBy(eb, runId))
        .orderBy('e.sequence')
        .limit(1)
        .executeTakeFirst();
      return row ? toEntityEvent(row) : undefined;
    },

    async get(tenant, workflow, entityKey) {
      const entity = await db
        .selectFrom('workflow_entities as n')
        .innerJoin('workflow_runs as r', (join) => join.onRef('r.run_id', '=', 'n.run_id').onRef('r.tenant_id', '=', 'n.tenant_id'))
        .select(['n.run_id', 'r.engine', 'r.status'])
        .where('n.tenant_id', '=', tenant)
        .where('n.workflow_name', '=', workflow)
        .where('n.entity_key', '=', entityKey)
        .executeTakeFirst();
      if (!entity?.run_id) return undefined;
      const counts = await db
        .selectFrom('workflow_entity_events as e')
        .select((eb) => [
          eb.fn
            .max('e.sequence')
            .filterWhere(eb.or([eb('e.role', '=', 'START'), eb.and([eb('e.role', '=', 'QUEUED'), eb.not(untaken(eb))])]))
            .as('taken'),
          eb.fn
            .countAll<string>()
            .filterWhere(eb.and([eb('e.role', '=', 'QUEUED'), untaken(eb)]))
            .as('pending'),
        ])
        .where('e.tenant_id', '=', tenant)
        .where('e.workflow_name', '=', workflow)
        .where('e.entity_key', '=', entityKey)
        .executeTakeFirstOrThrow();
      return {
        tenant,
        workflow,
        entityKey,
        runId: entity.run_id,
        engine: entity.engine,
        status: entity.status,
        sequence: Number(counts.taken ?? 0),
        pending: Number(counts.pending),
      };
    },
  };
}
