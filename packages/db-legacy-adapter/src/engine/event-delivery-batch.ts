import type { RoutedEvent } from '@baton/event-schemas';
import { BatonError, ErrorCode, openWaits, type InterpreterState, type RunRef } from '@baton/runtime-core';
import type { PgPoolClientLike } from '../database/pg-pool.js';
import { writeCommits } from './commit-writer.js';
import {
  computeLockedInput,
  finishLockedRun,
  inTransaction,
  toLockedRun,
  type ComputedInput,
  type DirectInputDeps,
  type DirectInputPlan,
  type LockedRun,
  type LockRow,
} from './direct-input.js';
import type { RunCommit } from './run-commit.js';
import type { TableNames } from './sql-names.js';
import type { SqlStatement } from './sql-statement.js';

/** One event for one Postgres run. */
export interface EventDelivery {
  readonly run: RunRef<'db'>;
  readonly event: RoutedEvent;
}

/** The statements of a batch. */
export interface EventBatchStatements {
  /** see {@link lockRunsStatement} */
  readonly lockRuns: SqlStatement;
  /** see {@link resolveEventWaitsStatement} */
  readonly resolveWaits: SqlStatement;
}

/** What a batch wrote: per delivery `undefined` (done, or nothing to resume) or its error; the commits; whether to NOTIFY. */
export interface EventBatchResult {
  readonly outcomes: ReadonlyArray<Error | undefined>;
  readonly commits: readonly RunCommit[];
}

/**
 * Locks several Postgres-engine runs, each in its tenant (`$1` tenants, `$2` run ids, pairwise), in
 * run id order: two batches that share runs lock them in the same order, so they queue instead of
 * deadlocking.
 */
export function lockRunsStatement(n: TableNames): string {
  return `SELECT r.run_id, r.tenant_id, r.workflow_name, r.workflow_version, r.definition_hash, r.run_key, r.input, r.state, r.status,
    r.fencing_token::text AS fencing_token, r.parent_run_id, r.created_at, r.entity_key, r.shadow_of, r.shadow_run_id
  FROM ${n.runs} AS r JOIN unnest($1::text[], $2::text[]) AS k(tenant_id, run_id) ON r.run_id = k.run_id AND r.tenant_id = k.tenant_id
  WHERE r.run_id = ANY($2::text[]) AND r.engine = 'db'
  ORDER BY r.run_id
  FOR UPDATE OF r`;
}

/**
 * The conditional resolve of a batch (`$1` tenants, `$2` run ids, `$3` wait ids, `$4` event names,
 * `$5` correlation keys, `$6` event ids, pairwise): a wait resolves only while it is WAITING, and an
 * event id resolves at most one wait of a run; answers the runs whose wait this statement resolved.
 * Issued under the run locks, so it sees every commit that came before them.
 */
export function resolveEventWaitsStatement(n: TableNames): string {
  return `UPDATE ${n.waits} AS w SET status = 'RESOLVED', resolved_by = k.event_id, resolved_at = now()
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS k(tenant_id, run_id, wait_id, event_name, correlation_key, event_id)
  WHERE w.run_id = ANY($2::text[]) AND w.run_id = k.run_id AND w.wait_id = k.wait_id AND w.tenant_id = k.tenant_id
    AND w.wait_type = 'EVENT' AND w.event_name = k.event_name AND w.correlation_key = k.correlation_key AND w.status = 'WAITING'
    AND NOT EXISTS (SELECT 1 FROM ${n.waits} AS y WHERE y.run_id = k.run_id AND y.resolved_by = k.event_id)
  RETURNING w.run_id`;
}

/** The open wait of the state that `event` resumes (the run's one leaf step waits at most for one event). */
function eventWaitOf(state: InterpreterState, event: RoutedEvent): string | undefined {
  return openWaits(state).find((w) => w.type === 'EVENT' && w.eventName === event.eventName && w.correlationKey === event.correlationKey)?.waitId;
}

type EventStep = 'skipped' | 'applied';

/** The plan of an event: the wait comes from the locked state; the conditional resolve runs for the whole batch afterwards. */
function eventPlan(event: RoutedEvent): { plan: DirectInputPlan<EventStep>; waitId: () => string | undefined } {
  let waitId: string | undefined;
  const preclosed = new Set<string>();
  const plan: DirectInputPlan<EventStep> = {
    async prepare(_client, _run, state) {
      waitId = eventWaitOf(state, event);
      if (waitId === undefined) return { skip: 'skipped' };
      preclosed.add(waitId);
      return undefined;
    },
    preclosed,
    input: (_state, now) => ({ type: 'EventReceived', now, waitId: waitId!, event }),
    // A filtered-out event writes nothing: the wait stays open, only the audit remembers it.
    rejected: () => 'skipped',
    applied: () => 'applied',
    get resolutions() {
      return new Map([[waitId!, { by: event.eventId }]]);
    },
  };
  return { plan, waitId: () => waitId };
}

const notFound = (run: RunRef<'db'>) => new BatonError(ErrorCode.RUN_NOT_FOUND, `run ${run.runId} not found`, { details: { runId: run.runId } });

/**
 * Delivers events to distinct Postgres runs in one transaction: one statement locks every run, the
 * interpreter runs each event on its run's locked state, one conditional update resolves the waits
 * of the accepted events, and one group commit writes their runs. An event whose filter is false
 * (or whose wait is no longer open) writes nothing; a delivery whose own step throws is answered
 * with its error and writes nothing. Throws when the transaction fails (nothing was written).
 */
export async function deliverEventBatch(
  deps: DirectInputDeps,
  statements: EventBatchStatements,
  deliveries: readonly EventDelivery[],
): Promise<EventBatchResult> {
  return inTransaction(deps.pool, async (client: PgPoolClientLike) => {
    const outcomes: Array<Error | undefined> = deliveries.map(() => undefined);
    const rows = (await statements.lockRuns.run<LockRow>(client, [deliveries.map((d) => d.run.tenant), deliveries.map((d) => d.run.runId)])).rows;
    const locked = new Map(rows.map((r) => [r.run_id, toLockedRun(r)]));

    const accepted: Array<{ index: number; run: LockedRun; computed: ComputedInput<EventStep>; waitId: string }> = [];
    for (const [index, { run, event }] of deliveries.entries()) {
      const row = locked.get(run.runId);
      if (!row || row.tenant !== run.tenant) {
        outcomes[index] = notFound(run);
        continue;
      }
      try {
        const { plan, waitId } = eventPlan(event);
        const computed = await computeLockedInput(deps, client, row, plan);
        if (!('rejected' in computed)) accepted.push({ index, run: row, computed, waitId: waitId()! });
      } catch (error) {
        outcomes[index] = error instanceof Error ? error : new Error(String(error));
      }
    }
    if (accepted.length === 0) return { value: { outcomes, commits: [] }, commit: false };

    const resolved = await statements.resolveWaits.run<{ run_id: string }>(client, [
      accepted.map((a) => a.run.tenant),
      accepted.map((a) => a.run.runId),
      accepted.map((a) => a.waitId),
      accepted.map((a) => deliveries[a.index]!.event.eventName),
      accepted.map((a) => deliveries[a.index]!.event.correlationKey),
      accepted.map((a) => deliveries[a.index]!.event.eventId),
    ]);
    const resolvedRuns = new Set(resolved.rows.map((r) => r.run_id));
    // A wait resolved meanwhile (or already by this event id): that run is left as it is.
    const toWrite = accepted.filter((a) => resolvedRuns.has(a.run.runId));
    if (toWrite.length === 0) return { value: { outcomes, commits: [] }, commit: false };

    const applied = await writeCommits(
      client,
      deps.writer,
      deps.statements,
      toWrite.map((a) => a.computed.written),
    );
    const commits: RunCommit[] = [];
    let notify = false;
    for (const a of toWrite) {
      if (!applied.has(a.run.runId)) throw new Error(`run ${a.run.runId} changed under its row lock`);
      const finished = await finishLockedRun(deps, client, a.run, a.computed);
      commits.push(...finished.commits);
      notify ||= finished.notify;
    }
    if (notify) await client.query('SELECT pg_notify($1, $2)', [deps.writer.channel, '']);
    return { value: { outcomes, commits }, commit: true };
  });
}
