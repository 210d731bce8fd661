import type { StartRunRequest } from '@baton/runtime-core';
import type { PgPoolLike } from '../database/pg-pool.js';
import { isConnectionError } from './connection-errors.js';
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

interface Pending {
  readonly request: StartRunRequest;
  resolve(inserted: boolean): void;
  reject(error: unknown): void;
}

/**
 * Group commit of starts: the starts submitted while a batch is being written go into the next
 * one, so N concurrent starts cost one statement and one commit instead of N. One start that makes
 * the batch fail never fails the others: the batch is redone one start at a time, and only the
 * starts that fail on their own are refused (a lost connection fails them all anyway).
 */
export class StartBatcher {
  readonly #pool: PgPoolLike;
  readonly #statement: SqlStatement;
  readonly #channel: string;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  /** `batches`: statements written; `starts`: starts in them; `fallbacks`: batches redone one start at a time */
  readonly stats = { batches: 0, starts: 0, fallbacks: 0 };

  constructor(pool: PgPoolLike, statement: SqlStatement, channel: string, maxBatch: number, maxInFlight: number) {
    this.#pool = pool;
    this.#statement = statement;
    this.#channel = channel;
    this.#maxBatch = maxBatch;
    this.#maxInFlight = maxInFlight;
  }

  /** Queues a new run; resolves `true` when it was inserted, `false` when its id or execution key already existed. */
  submit(request: StartRunRequest): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#inFlight >= this.#maxInFlight || this.#scheduled) return;
    this.#scheduled = true;
    // One macrotask of delay lets the starts of requests parsed in the same tick join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    this.#inFlight += 1;
    const batch = this.#queue.splice(0, this.#maxBatch);
    try {
      const inserted = await this.#write(batch.map((p) => p.request));
      for (const p of batch) p.resolve(inserted.has(p.request.runId));
    } catch (error) {
      if (batch.length === 1 || isConnectionError(error)) for (const p of batch) p.reject(error);
      else await this.#writeOneByOne(batch);
    } finally {
      this.#inFlight -= 1;
      if (this.#queue.length) this.#schedule();
    }
  }

  async #writeOneByOne(batch: readonly Pending[]): Promise<void> {
    this.stats.fallbacks += 1;
    for (const p of batch) {
      try {
        p.resolve((await this.#write([p.request])).has(p.request.runId));
      } catch (error) {
        p.reject(error);
      }
    }
  }

  async #write(requests: readonly StartRunRequest[]): Promise<Set<string>> {
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
      this.#channel,
    ];
    const { rows } = await withClient(this.#pool, (client) => this.#statement.run<{ run_id: string }>(client, params));
    this.stats.batches += 1;
    this.stats.starts += requests.length;
    return new Set(rows.map((r) => r.run_id));
  }
}
