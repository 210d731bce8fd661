import type { Kysely } from 'kysely';
import type { OpenWait, WaitIndex, WaitRecord } from '@baton/runtime-core';
import type { Database, WorkflowRunWaitRow } from '../database/database-types.js';
import { jsonOrNull, toIso, toIsoOrUndefined } from '../database/timestamps.js';
import { hotRead, type HotReadOptions } from './hot-reads.js';

/** Fields of a wait kept in the `detail` column (they have no column of their own). */
interface WaitDetail {
  readonly taskType?: string;
  readonly title?: string;
  readonly assignee?: string;
  readonly childWorkflow?: string;
}

/** The `detail` jsonb of a wait, or null when it has none of those fields. */
export function waitDetail(wait: WaitDetail): string | null {
  const detail: WaitDetail = {
    ...(wait.taskType !== undefined ? { taskType: wait.taskType } : {}),
    ...(wait.title !== undefined ? { title: wait.title } : {}),
    ...(wait.assignee !== undefined ? { assignee: wait.assignee } : {}),
    ...(wait.childWorkflow !== undefined ? { childWorkflow: wait.childWorkflow } : {}),
  };
  return Object.keys(detail).length ? jsonOrNull(detail) : null;
}

/** A `workflow_run_waits` row as the port's record. */
export function toWaitRecord(row: WorkflowRunWaitRow): WaitRecord {
  const detail = (row.detail ?? {}) as WaitDetail;
  const timeoutAt = toIsoOrUndefined(row.due_at);
  const closedAt = toIsoOrUndefined(row.resolved_at);
  return {
    tenant: row.tenant_id,
    runId: row.run_id,
    engine: row.engine,
    waitId: row.wait_id,
    type: row.wait_type,
    stepId: row.step_id,
    status: row.status,
    createdAt: toIso(row.created_at),
    ...(row.event_name !== null ? { eventName: row.event_name } : {}),
    ...(row.correlation_key !== null ? { correlationKey: row.correlation_key } : {}),
    ...detail,
    ...(timeoutAt ? { timeoutAt } : {}),
    ...(closedAt ? { closedAt } : {}),
  };
}

/**
 * The open event waits of an event batch's keys (`$1` tenant, `$2` event names, `$3` correlation
 * keys, pairwise), oldest first: one lookup of the route index per distinct key, with all four of its
 * columns. `OFFSET 0` keeps the lookup a subquery of its own, so the planner cannot fold it into a
 * join: planned as a join, a table without statistics (a new install, before autovacuum's first
 * ANALYZE) read every WAITING wait of the tenant on each batch and filtered it against the keys
 * (`bench/api/README.md`, "Fifth round").
 */
const findWaitingManyText = (table: (name: string) => string) => `
SELECT w.* FROM (SELECT DISTINCT * FROM unnest($2::text[], $3::text[]) AS k(event_name, correlation_key)) AS k
CROSS JOIN LATERAL (
  SELECT * FROM ${table('workflow_run_waits')} AS w
  WHERE w.tenant_id = $1 AND w.event_name = k.event_name AND w.correlation_key = k.correlation_key
    AND w.status = 'WAITING' AND w.wait_type = 'EVENT'
  OFFSET 0
) AS w
ORDER BY w.created_at`;

/**
 * `WaitIndex` over `workflow_run_waits`. With `hot`, the lookup of every event batch
 * (`findWaitingMany`) is a named statement over arrays (hot-reads.ts) instead of a kysely-built one
 * whose text changes with the batch's size.
 */
export function createPostgresWaitIndex(db: Kysely<Database>, hot?: HotReadOptions): WaitIndex {
  const readWaitingMany = hot ? hotRead(hot, 'find_waiting_many', findWaitingManyText) : undefined;
  return {
    async open(tenant: string, wait: OpenWait) {
      await db
        .insertInto('workflow_run_waits')
        .values({
          tenant_id: tenant,
          run_id: wait.runId,
          wait_id: wait.waitId,
          engine: wait.engine,
          wait_type: wait.type,
          step_id: wait.stepId,
          event_name: wait.eventName ?? null,
          correlation_key: wait.correlationKey ?? null,
          due_at: wait.timeoutAt ?? null,
          status: 'WAITING',
          detail: waitDetail(wait),
          created_at: wait.createdAt,
        })
        .onConflict((oc) => oc.columns(['run_id', 'wait_id']).doNothing())
        .execute();
    },

    async close(tenant, runId, waitId, outcome, closedAt, resolvedBy) {
      const result = await db
        .updateTable('workflow_run_waits')
        .set({ status: outcome, resolved_at: closedAt, ...(resolvedBy !== undefined ? { resolved_by: resolvedBy } : {}) })
        .where('tenant_id', '=', tenant)
        .where('run_id', '=', runId)
        .where('wait_id', '=', waitId)
        .where('status', '=', 'WAITING')
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async closeAllForRun(tenant, runId, outcome, closedAt) {
      const result = await db
        .updateTable('workflow_run_waits')
        .set({ status: outcome, resolved_at: closedAt })
        .where('tenant_id', '=', tenant)
        .where('run_id', '=', runId)
        .where('status', '=', 'WAITING')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async findWaiting(tenant, eventName, correlationKey) {
      const rows = await db
        .selectFrom('workflow_run_waits')
        .selectAll()
        .where('tenant_id', '=', tenant)
        .where('event_name', '=', eventName)
        .where('correlation_key', '=', correlationKey)
        .where('status', '=', 'WAITING')
        .where('wait_type', '=', 'EVENT')
        .orderBy('created_at')
        .execute();
      return rows.map(toWaitRecord);
    },

    async findWaitingMany(tenant, keys) {
      if (keys.length === 0) return [];
      if (readWaitingMany) {
        const rows = await readWaitingMany<WorkflowRunWaitRow>([tenant, keys.map((k) => k.eventName), keys.map((k) => k.correlationKey)]);
        return rows.map(toWaitRecord);
      }
      const names = [...new Set(keys.map((k) => k.eventName))];
      const correlationKeys = [...new Set(keys.map((k) => k.correlationKey))];
      // The name and key lists are what the routing index can seek by; the pair list keeps exact pairs only.
      const rows = await db
        .selectFrom('workflow_run_waits')
        .selectAll()
        .where('tenant_id', '=', tenant)
        .where('event_name', 'in', names)
        .where('correlation_key', 'in', correlationKeys)
        .where('status', '=', 'WAITING')
        .where('wait_type', '=', 'EVENT')
        .where((eb) =>
          eb(
            eb.refTuple('event_name', 'correlation_key'),
            'in',
            keys.map((k) => eb.tuple(k.eventName, k.correlationKey)),
          ),
        )
        .orderBy('created_at')
        .execute();
      return rows.map(toWaitRecord);
    },

    async listForRun(tenant, runId, options) {
      let query = db.selectFrom('workflow_run_waits').selectAll().where('tenant_id', '=', tenant).where('run_id', '=', runId);
      if (options?.status) query = query.where('status', '=', options.status);
      const rows = await query.orderBy('created_at').orderBy('wait_id').execute();
      return rows.map(toWaitRecord);
    },
  };
}
