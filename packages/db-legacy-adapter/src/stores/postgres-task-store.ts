import { sql, type Kysely } from 'kysely';
import type { JsonValue } from '@baton/event-schemas';
import { BatonError, ErrorCode, type HumanTaskRecord, type TaskStore } from '@baton/runtime-core';
import type { Database, WorkflowHumanTaskRow } from '../database/database-types.js';
import { jsonOrNull, toIso, toIsoOrUndefined } from '../database/timestamps.js';

/** A `workflow_human_tasks` row as the port's record. */
export function toTaskRecord(row: WorkflowHumanTaskRow): HumanTaskRecord {
  const timeoutAt = toIsoOrUndefined(row.due_at);
  const completedAt = toIsoOrUndefined(row.completed_at);
  return {
    tenant: row.tenant_id,
    taskId: row.task_id,
    runId: row.run_id,
    engine: row.engine,
    stepId: row.step_id,
    taskType: row.task_type,
    title: row.title,
    status: row.status,
    createdAt: toIso(row.created_at),
    ...(row.form_schema !== null ? { formSchema: row.form_schema as JsonValue } : {}),
    ...(row.assignee !== null ? { assignee: row.assignee } : {}),
    ...(timeoutAt ? { timeoutAt } : {}),
    ...(row.response !== null ? { response: row.response as JsonValue } : {}),
    ...(completedAt ? { completedAt } : {}),
    ...(row.completed_by !== null ? { completedBy: row.completed_by } : {}),
    ...(row.handoff !== null ? { handoff: row.handoff, handoffAttempts: row.handoff_attempts } : {}),
    ...(row.handoff_error !== null ? { handoffError: row.handoff_error } : {}),
    ...(row.status === 'CANCELED' && row.close_reason !== null ? { closeReason: row.close_reason } : {}),
  };
}

/** `TaskStore` over `workflow_human_tasks`. */
export function createPostgresTaskStore(db: Kysely<Database>): TaskStore {
  return {
    async open(tenant, task) {
      await db
        .insertInto('workflow_human_tasks')
        .values({
          tenant_id: tenant,
          task_id: task.taskId,
          run_id: task.runId,
          engine: task.engine,
          step_id: task.stepId,
          task_type: task.taskType,
          title: task.title,
          form_schema: jsonOrNull(task.formSchema),
          assignee: task.assignee ?? null,
          status: 'OPEN',
          due_at: task.timeoutAt ?? null,
          created_at: task.createdAt,
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'task_id']).doNothing())
        .execute();
    },

    async get(tenant, taskId) {
      const row = await db.selectFrom('workflow_human_tasks').selectAll().where('tenant_id', '=', tenant).where('task_id', '=', taskId).executeTakeFirst();
      return row ? toTaskRecord(row) : undefined;
    },

    async list(tenant, query) {
      // A shadow run's tasks are never shown: the primary's completion is mirrored to it.
      let q = db
        .selectFrom('workflow_human_tasks as t')
        .selectAll('t')
        .where('t.tenant_id', '=', tenant)
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom('workflow_runs as r').select('r.run_id').whereRef('r.run_id', '=', 't.run_id').where('r.tenant_id', '=', tenant).where('r.shadow_of', 'is not', null))),
        );
      if (query.status) q = q.where('t.status', '=', query.status);
      if (query.runId) q = q.where('t.run_id', '=', query.runId);
      const rows = await q.orderBy('t.created_at').orderBy('t.task_id').execute();
      return rows.map(toTaskRecord);
    },

    async complete(tenant, taskId, completion) {
      const row = await db
        .updateTable('workflow_human_tasks')
        .set({
          status: 'COMPLETED',
          response: jsonOrNull(completion.response) ?? 'null',
          completed_at: completion.completedAt,
          completed_by: completion.completedBy ?? null,
          // The outbox entry is written by the same conditional update as the completion.
          handoff: completion.handoff ? 'PENDING' : null,
          handoff_due_at: completion.handoff?.dueAt ?? null,
          handoff_attempts: 0,
          handoff_error: null,
        })
        .where('tenant_id', '=', tenant)
        .where('task_id', '=', taskId)
        .where('status', '=', 'OPEN')
        .returningAll()
        .executeTakeFirst();
      if (row) return toTaskRecord(row);
      const existing = await db.selectFrom('workflow_human_tasks').select('status').where('tenant_id', '=', tenant).where('task_id', '=', taskId).executeTakeFirst();
      if (!existing) throw new BatonError(ErrorCode.TASK_NOT_FOUND, `task ${taskId} not found`, { details: { taskId } });
      throw new BatonError(ErrorCode.TASK_ALREADY_COMPLETED, `task ${taskId} is ${existing.status}, not OPEN`, { details: { taskId, status: existing.status } });
    },

    async reopen(tenant, taskId) {
      await db
        .updateTable('workflow_human_tasks')
        .set({ status: 'OPEN', response: null, completed_at: null, completed_by: null, handoff: null, handoff_due_at: null, handoff_attempts: 0, handoff_error: null })
        .where('tenant_id', '=', tenant)
        .where('task_id', '=', taskId)
        .where('status', '=', 'COMPLETED')
        .execute();
    },

    async settleHandoff(tenant, taskId, outcome, error) {
      await db
        .updateTable('workflow_human_tasks')
        .set({ handoff: outcome, handoff_due_at: null, ...(error !== undefined ? { handoff_error: error } : {}) })
        .where('tenant_id', '=', tenant)
        .where('task_id', '=', taskId)
        .where('handoff', '=', 'PENDING')
        .execute();
    },

    async claimHandoffs(now, retryAt, limit) {
      // One statement claims and leases: concurrent drainers skip each other's rows.
      const due = db
        .selectFrom('workflow_human_tasks')
        .select(['tenant_id', 'task_id'])
        .where('handoff', '=', 'PENDING')
        .where('handoff_due_at', '<=', new Date(now))
        .orderBy('handoff_due_at')
        .orderBy('completed_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .as('due');
      const rows = await db
        .updateTable('workflow_human_tasks as t')
        .from(due)
        .set((eb) => ({ handoff_due_at: retryAt, handoff_attempts: eb('t.handoff_attempts', '+', 1) }))
        .whereRef('t.tenant_id', '=', 'due.tenant_id')
        .whereRef('t.task_id', '=', 'due.task_id')
        .returningAll('t')
        .execute();
      return rows.map(toTaskRecord);
    },

    async noteHandoffFailure(tenant, taskId, error) {
      await db
        .updateTable('workflow_human_tasks')
        .set({ handoff_error: error.slice(0, 4_000) })
        .where('tenant_id', '=', tenant)
        .where('task_id', '=', taskId)
        .where('handoff', '=', 'PENDING')
        .execute();
    },

    async close(tenant, taskId, at, reason = 'CANCELED') {
      // A completion still PENDING hand-off was never taken by the run: it loses to the close.
      const result = await db
        .updateTable('workflow_human_tasks')
        .set({
          status: 'CANCELED',
          close_reason: reason,
          completed_at: at,
          response: null,
          completed_by: null,
          handoff: sql<'REFUSED' | null>`CASE WHEN handoff = 'PENDING' THEN 'REFUSED' ELSE handoff END`,
          handoff_due_at: null,
          handoff_error: sql<string | null>`CASE WHEN handoff = 'PENDING' THEN ${`TASK_ALREADY_CLOSED: ${reason}`} ELSE handoff_error END`,
        })
        .where('tenant_id', '=', tenant)
        .where('task_id', '=', taskId)
        .where((eb) => eb.or([eb('status', '=', 'OPEN'), eb.and([eb('status', '=', 'COMPLETED'), eb('handoff', '=', 'PENDING')])]))
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async cancelForRun(tenant, runId, at) {
      const result = await db
        .updateTable('workflow_human_tasks')
        .set({ status: 'CANCELED', close_reason: 'CANCELED', completed_at: at })
        .where('tenant_id', '=', tenant)
        .where('run_id', '=', runId)
        .where('status', '=', 'OPEN')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
