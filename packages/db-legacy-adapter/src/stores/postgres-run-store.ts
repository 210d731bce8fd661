import { sql, type Kysely } from 'kysely';
import { BatonError, ErrorCode, invalidCursorError, type RunListQuery, type RunPage, type RunRecord, type RunStore } from '@baton/runtime-core';
import type { Database, WorkflowRunRow, WorkflowRunWaitRow } from '../database/database-types.js';
import { json, jsonOrNull } from '../database/timestamps.js';
import { upsertStepRows } from './step-rows.js';
import { newRunRow, toRunRecord, toStepRecord } from './run-row-mapping.js';
import { groupedHotRead, type HotReadOptions } from './hot-reads.js';
import { toWaitRecord } from './postgres-wait-index.js';

/** Largest page `list` returns. */
export const MAX_RUN_PAGE = 500;

/**
 * Runs (`$1` tenants, `$2` run ids, pairwise, answered by `k.req`) with their WAITING waits as a JSON
 * array, oldest first (`listForRun`'s order): the run view in one statement instead of two.
 */
const runWithOpenWaitsText = (table: (name: string) => string) => `
SELECT k.req, r.*, coalesce((
    SELECT json_agg(w ORDER BY w.created_at, w.wait_id) FROM ${table('workflow_run_waits')} AS w
    WHERE w.tenant_id = r.tenant_id AND w.run_id = r.run_id AND w.status = 'WAITING'), '[]'::json) AS baton_open_waits
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(tenant_id, run_id, req)
JOIN ${table('workflow_runs')} AS r ON r.tenant_id = k.tenant_id AND r.run_id = k.run_id`;

/** A row of {@link runWithOpenWaitsText}: the waits' timestamps come as JSON strings. */
type RunWithOpenWaitsRow = WorkflowRunRow & { baton_open_waits: WorkflowRunWaitRow[] };

/**
 * `RunStore` over `workflow_runs` and `workflow_run_steps`, for runs of both engines. For Postgres
 * runs it never touches the engine's columns (state, lease, fencing token, wake time). With `hot`,
 * `getWithOpenWaits` reads a run and its open waits in one grouped statement (the reads of the
 * requests made meanwhile go together: hot-reads.ts `groupedHotRead`).
 */
export function createPostgresRunStore(db: Kysely<Database>, hot?: HotReadOptions): RunStore {
  const readWithOpenWaits = hot ? groupedHotRead(hot, 'run_with_open_waits', runWithOpenWaitsText) : undefined;
  return {
    ...(readWithOpenWaits
      ? {
          async getWithOpenWaits(tenant: string, runId: string) {
            const [row] = await readWithOpenWaits<RunWithOpenWaitsRow>([tenant, runId]);
            return row ? { run: toRunRecord(row), openWaits: row.baton_open_waits.map(toWaitRecord) } : undefined;
          },
        }
      : {}),
    async create(tenant, run) {
      const row = newRunRow(tenant, run);
      // No conflict target: both the run id and (tenant, workflow, executionKey) dedupe.
      const inserted = await db.insertInto('workflow_runs').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
      if (inserted) return { run: toRunRecord(inserted), created: true };
      let query = db.selectFrom('workflow_runs').selectAll().where('tenant_id', '=', tenant);
      query =
        run.executionKey === null
          ? query.where('run_id', '=', run.runId)
          : query.where((eb) =>
              eb.or([eb('run_id', '=', run.runId), eb.and([eb('workflow_name', '=', run.workflow), eb('execution_key', '=', run.executionKey)])]),
            );
      const existing = await query.orderBy(sql`run_id = ${run.runId}`, 'desc').executeTakeFirst();
      if (!existing) {
        throw new BatonError(ErrorCode.INTERNAL, `run id ${run.runId} is taken by another tenant`, { details: { runId: run.runId } });
      }
      return { run: toRunRecord(existing), created: false };
    },

    async get(tenant, runId) {
      const row = await db.selectFrom('workflow_runs').selectAll().where('tenant_id', '=', tenant).where('run_id', '=', runId).executeTakeFirst();
      return row ? toRunRecord(row) : undefined;
    },

    async list(tenant: string, q: RunListQuery): Promise<RunPage> {
      const limit = Math.max(1, Math.min(q.limit, MAX_RUN_PAGE));
      let query = db.selectFrom('workflow_runs as r').selectAll('r').where('r.tenant_id', '=', tenant).where('r.shadow_of', 'is', null);
      if (q.workflow) query = query.where('r.workflow_name', '=', q.workflow);
      if (q.status) query = query.where('r.status', '=', q.status);
      if (q.engine) query = query.where('r.engine', '=', q.engine);
      if (q.createdAfter) query = query.where('r.created_at', '>=', new Date(q.createdAfter));
      if (q.createdBefore) query = query.where('r.created_at', '<', new Date(q.createdBefore));
      if (q.cursor) {
        // The cursor is the last run id of the previous page; its (created_at, run_id) is the exact
        // boundary. A cursor naming no run of the tenant is refused (below), not read as an empty last page.
        // compared in SQL: the stamp keeps its microseconds, which a JavaScript Date would drop
        const boundary = db
          .selectFrom('workflow_runs as c')
          .select(['c.created_at', 'c.run_id'])
          .where('c.tenant_id', '=', tenant)
          .where('c.run_id', '=', q.cursor);
        query = query.where(sql<boolean>`(r.created_at, r.run_id) < (${boundary})`);
      }
      const rows = await query.orderBy('r.created_at', 'desc').orderBy('r.run_id', 'desc').limit(limit + 1).execute();
      // A row on the page proves the boundary exists; only an empty page asks whether the cursor is known.
      if (q.cursor && rows.length === 0) {
        const known = await db.selectFrom('workflow_runs').select('run_id').where('tenant_id', '=', tenant).where('run_id', '=', q.cursor).executeTakeFirst();
        if (!known) throw invalidCursorError('cursor is not a nextCursor of GET /v1/runs: no run of this tenant has that id');
      }
      const items: RunRecord[] = rows.slice(0, limit).map(toRunRecord);
      return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.runId ?? null) : null };
    },

    async update(tenant, runId, patch, condition) {
      let query = db
        .updateTable('workflow_runs')
        .set({
          updated_at: patch.updatedAt,
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          ...(patch.version !== undefined ? { workflow_version: patch.version } : {}),
          ...(patch.definitionHash !== undefined ? { definition_hash: patch.definitionHash } : {}),
          ...(patch.output !== undefined ? { output: json(patch.output) } : {}),
          ...(patch.error !== undefined ? { error: jsonOrNull(patch.error) } : {}),
          ...(patch.currentStepId !== undefined ? { current_step_id: patch.currentStepId } : {}),
          ...(patch.completedAt !== undefined ? { completed_at: patch.completedAt } : {}),
        })
        .where('tenant_id', '=', tenant)
        .where('run_id', '=', runId);
      if (condition?.statusIn) {
        if (condition.statusIn.length === 0) return undefined;
        query = query.where('status', 'in', condition.statusIn);
      }
      const row = await query.returningAll().executeTakeFirst();
      return row ? toRunRecord(row) : undefined;
    },

    async upsertSteps(tenant, runId, steps, condition) {
      if (steps.length === 0) return;
      const notFound = () => new BatonError(ErrorCode.RUN_NOT_FOUND, `run ${runId} not found`, { details: { runId } });
      const statusIn = condition?.statusIn;
      if (!statusIn) {
        const owner = await db.selectFrom('workflow_runs').select('run_id').where('tenant_id', '=', tenant).where('run_id', '=', runId).executeTakeFirst();
        if (!owner) throw notFound();
        await upsertStepRows(db, tenant, runId, steps, 0);
        return;
      }
      // The share lock makes a concurrent status update wait for this write, and this write see
      // an update that committed first: a late write never lands in a run that has moved on.
      await db.transaction().execute(async (trx) => {
        const run = await trx
          .selectFrom('workflow_runs')
          .select('status')
          .where('tenant_id', '=', tenant)
          .where('run_id', '=', runId)
          .forShare()
          .executeTakeFirst();
        if (!run) throw notFound();
        if (statusIn.includes(run.status)) await upsertStepRows(trx, tenant, runId, steps, 0);
      });
    },

    async listSteps(tenant, runId) {
      const rows = await db
        .selectFrom('workflow_run_steps')
        .selectAll()
        .where('tenant_id', '=', tenant)
        .where('run_id', '=', runId)
        .orderBy('generation')
        .orderBy('seq')
        .execute();
      return rows.map(toStepRecord);
    },
  };
}
