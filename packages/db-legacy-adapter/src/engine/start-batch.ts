import type { StartRunRequest } from '@baton/runtime-core';
import type { PgPoolLike } from '../database/pg-pool.js';
import { groupCommitQueue } from './group-commit-queue.js';
import type { GroupQueue } from './group-queue.js';
import { withClient } from './pooled-client.js';
import type { TableNames } from './sql-names.js';
import type { SqlStatement } from './sql-statement.js';

/**
 * Inserts many new runs in one statement (one commit), runnable (`wake_at = now()`), unleased, and
 * notifies the workers once when any was inserted. Rows whose run id or `(tenant, workflow,
 * executionKey)` already exists are skipped (`ON CONFLICT DO NOTHING`, also between rows of the same
 * batch); the caller settles those with the one-run start statement. Returns the inserted run ids.
 */
export function startBatchStatement(n: TableNames): string {
  return `
WITH ins AS (
  INSERT INTO ${n.runs} AS r (run_id, tenant_id, workflow_name, workflow_version, definition_hash, engine, status, execution_key,
    run_key, input, parent_run_id, trigger_event_id, created_at, updated_at, wake_at)
  SELECT t.run_id, t.tenant_id, t.workflow_name, t.workflow_version, t.definition_hash, 'db', 'RUNNING', t.execution_key,
    t.run_key, t.input::jsonb, t.parent_run_id, t.trigger_event_id, t.created_at, t.created_at, now()
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])
    AS t(run_id, tenant_id, workflow_name, workflow_version, definition_hash, execution_key, run_key, input, parent_run_id, trigger_event_id, created_at)
  ON CONFLICT DO NOTHING
  RETURNING r.run_id
),
notified AS (
  SELECT pg_notify($12, '') FROM (SELECT 1 FROM ins LIMIT 1) AS x
)
SELECT run_id, (SELECT count(*) FROM notified) AS notified FROM ins`;
}

/**
 * Group commit of starts: the starts submitted while a batch is being written go into the next
 * one, so N concurrent starts cost one statement and one commit instead of N (see
 * {@link groupCommitQueue}: a start that fails the batch never fails the others).
 */
export class StartBatcher {
  readonly #queue: GroupQueue<StartRunRequest, boolean>;

  constructor(pool: PgPoolLike, statement: SqlStatement, channel: string, maxBatch: number, maxInFlight: number) {
    this.#queue = groupCommitQueue<StartRunRequest>({
      maxBatch,
      maxInFlight,
      idOf: (request) => request.runId,
      async write(requests) {
        const column = <T>(pick: (r: StartRunRequest) => T) => requests.map(pick);
        const params = [
          column((r) => r.runId),
          column((r) => r.tenant),
          column((r) => r.workflow.name),
          column((r) => r.workflow.version),
          column((r) => r.workflow.hash),
          column((r) => r.executionKey),
          column((r) => r.runKey),
          column((r) => JSON.stringify(r.input)),
          column((r) => r.parentRunId ?? null),
          column((r) => r.triggerEventId ?? null),
          column((r) => r.startedAt),
          channel,
        ];
        const { rows } = await withClient(pool, (client) => statement.run<{ run_id: string }>(client, params));
        return new Set(rows.map((r) => r.run_id));
      },
    });
  }

  /** `batches`: statements written; `starts`: starts in them; `fallbacks`: batches redone one start at a time */
  get stats(): { batches: number; starts: number; fallbacks: number } {
    const { batches, items, fallbacks } = this.#queue.stats;
    return { batches, starts: items, fallbacks };
  }

  /** Queues a new run; resolves `true` when it was inserted, `false` when its id or execution key already existed. */
  submit(request: StartRunRequest): Promise<boolean> {
    return this.#queue.submit(request);
  }
}
