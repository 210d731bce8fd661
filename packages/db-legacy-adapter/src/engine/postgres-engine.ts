import { connectionBoundPool } from '../database/connection-bound-pool.js';
import {
  assertEngineAuthority,
  BatonError,
  createRunRef,
  decideTaskCompletion,
  defineCapabilities,
  EngineAuthorityError,
  ErrorCode,
  REJECTION_CODE,
  settleShadowComparison,
  taskClosedBatonError,
  type HumanTaskCompletion,
  type ResumeRequest,
  type RunRef,
  type RunRecord,
  type RunUpgradeOutcome,
  type RunUpgradeRequest,
  type StartRunRequest,
  type WorkflowEngine,
} from '@baton/runtime-core';
import type { JsonObject, RoutedEvent, WorkflowError } from '@baton/event-schemas';
import { createDatabase } from '../database/create-database.js';
import { assertSchemaCurrent } from '../migrations/migrate.js';
import { createPostgresDefinitionStore } from '../stores/postgres-definition-store.js';
import { createPostgresEventInbox } from '../stores/postgres-event-inbox.js';
import { createPostgresShadowComparisons } from '../stores/postgres-shadow-comparisons.js';
import { createPostgresShadowInvocationLog } from '../stores/postgres-shadow-invocation-log.js';
import { createPostgresRunStore } from '../stores/postgres-run-store.js';
import { claimStatement, renewStatement } from './claim-runs.js';
import { ClaimLoop } from './claim-loop.js';
import { CommitBatcher } from './commit-batcher.js';
import { buildCommitStatements, type CommitWriterContext } from './commit-writer.js';
import { DefinitionSource } from './definition-source.js';
import { deliverEventBatch, lockRunsStatement, resolveEventWaitsStatement, type EventBatchStatements, type EventDelivery } from './event-delivery-batch.js';
import { EventDeliveryQueue, type EventDeliveryStats } from './event-delivery-queue.js';
import { applyToLockedRun, inTransaction, lockRun, lockStatement, type DirectInputDeps, type DirectInputPlan } from './direct-input.js';
import { resolveEngineOptions, type PostgresEngineOptions, type SettledRun } from './engine-options.js';
import { LeaseKeeper } from './lease-keeper.js';
import { withClient } from './pooled-client.js';
import { processRun } from './process-run.js';
import type { RunCommit } from './run-commit.js';
import { startRunStatement, type StartedRow } from './start-run.js';
import { StartBatcher, startBatchStatement } from './start-batch.js';
import { tableNames, wakeChannel } from './sql-names.js';
import { sqlStatement } from './sql-statement.js';
import { startWakeListener, type WakeListener } from './wake-listener.js';
import { upgradeDbRun } from './upgrade-run.js';

/** Options of {@link PostgresEngine.awaitRun}. */
export interface AwaitRunOptions {
  /** Give up after this long (rejects). @default 60000 */
  readonly timeoutMs?: number;
  /** Poll of the run row when no local commit reports it settled. @default 250 */
  readonly pollMs?: number;
}

/** Options of {@link PostgresEngine.stopWorker}. */
export interface StopWorkerOptions {
  /** How long runs in progress may take to reach their next commit before they are aborted. @default 10000 */
  readonly graceMs?: number;
}

/** The Postgres engine: `WorkflowEngine<'db'>` with run control, plus its worker. */
export interface PostgresEngine extends WorkflowEngine<'db'> {
  retry(run: RunRef<'db'>, reason: string): Promise<void>;
  resume(run: RunRef<'db'>, request: ResumeRequest): Promise<void>;
  /** The run's variables from its stored interpreter state (`undefined` before its first step). */
  readVariables(run: RunRef<'db'>): Promise<JsonObject | undefined>;
  /** Moves the run to another version at its current wait under its row lock, with the audit row in the same transaction (`audited: true`). */
  upgradeRun(run: RunRef<'db'>, request: RunUpgradeRequest): Promise<RunUpgradeOutcome>;
  /** Starts claiming and processing runs (LISTEN for wake-ups, poll as fallback); throws `MigrationError` unless the schema is current. */
  startWorker(): Promise<void>;
  /** Stops claiming and waits for the runs in progress (see {@link StopWorkerOptions}). */
  stopWorker(options?: StopWorkerOptions): Promise<void>;
  /** Resolves with the run once it is SUCCEEDED, FAILED or CANCELED. */
  awaitRun(run: RunRef<'db'>, options?: AwaitRunOptions): Promise<RunRecord>;
  /** This worker's lease owner id. */
  readonly workerId: string;
  /** Group-commit counters: transactions written, run commits in them, failed batches redone one commit at a time. */
  readonly commitStats: { readonly batches: number; readonly commits: number; readonly fallbacks: number };
  /** Event-delivery counters: batch transactions, deliveries in them, batches redone one by one. */
  readonly eventStats: EventDeliveryStats;
  /** Group commits of `createAndStart`: statements written, starts in them, batches redone one start at a time. */
  readonly startStats: { readonly batches: number; readonly starts: number; readonly fallbacks: number };
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

function refusal(code: ErrorCode, message: string, run: { runId: string }, rejection?: WorkflowError): BatonError {
  return new BatonError(code, message, { details: { runId: run.runId, ...(rejection?.details !== undefined ? { reason: rejection.details } : {}) } });
}

/**
 * Creates the Postgres engine over `options.pool`: every run of `engine = 'db'` lives in
 * `workflow_runs` (state, lease, fencing token), advanced by workers that claim it with
 * `FOR UPDATE SKIP LOCKED`; inputs from outside (events, tasks, cancel, retry, resume) apply
 * under the run's row lock.
 */
export function createPostgresEngine(engineOptions: PostgresEngineOptions): PostgresEngine {
  const options = resolveEngineOptions(engineOptions);
  const { pool } = options;
  const db = createDatabase(pool, options.schema);
  const names = tableNames(options.schema);
  const channel = wakeChannel(options.schema);
  const prepared = options.preparedStatements;
  const hot = { pool, schema: options.schema, preparedStatements: prepared };
  const definitionStore = createPostgresDefinitionStore(db, hot);
  const runStore = createPostgresRunStore(db);
  const inbox = createPostgresEventInbox(db, hot);
  const shadows = createPostgresShadowInvocationLog(db);
  const definitions = new DefinitionSource(definitionStore, (client) => createPostgresDefinitionStore(createDatabase(connectionBoundPool(client), options.schema)));
  const statements = buildCommitStatements(names, prepared);
  const lock = sqlStatement('lock', lockStatement(names), prepared);
  const writer: CommitWriterContext = { names, channel, owner: options.workerId, leaseMs: options.leaseMs };
  const batcher = new CommitBatcher(pool, writer, statements, options.maxBatchSize, options.commitConcurrency);
  const onError = (error: Error) => options.onWorkerError?.(error);
  const leases = new LeaseKeeper(pool, sqlStatement('renew', renewStatement(names), prepared), options.workerId, options.leaseMs, onError);
  const startStatement = sqlStatement('start', startRunStatement(names), prepared);
  const startBatcher = new StartBatcher(pool, sqlStatement('start_batch', startBatchStatement(names), prepared), channel, options.maxBatchSize, options.commitConcurrency);
  const knownDefinitions = new Set<string>();

  const settledWaiters = new Map<string, Set<() => void>>();
  const comparisons = createPostgresShadowComparisons(db);
  const settled = (run: SettledRun) => {
    const waiters = settledWaiters.get(run.runId);
    if (waiters) for (const w of waiters) w();
    // The run of a shadow pair that finished last files the pair's comparison (off the commit path).
    if (run.shadowed !== false) {
      settleShadowComparison(
        { runs: runStore, comparisons, clock: options.clock, ...(options.onShadowCompared ? { onCompared: options.onShadowCompared } : {}) },
        run.tenant,
        run.runId,
      ).catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
    }
    options.onRunSettled?.(run);
  };

  const loop = new ClaimLoop({
    pool,
    owner: options.workerId,
    concurrency: options.concurrency,
    leaseMs: options.leaseMs,
    pollIntervalMs: options.pollIntervalMs,
    claimStatement: sqlStatement('claim', claimStatement(names), prepared),
    provided: options.actions.list().map((a) => `${a.id}@${a.version}`),
    leases,
    process: (run, signal) => processRun({ options, pool, names, definitions, batcher, leases, inbox, shadows }, run, signal),
    onSettled: settled,
    onError,
  });
  let listener: WakeListener | undefined;

  const directDeps: DirectInputDeps = { options, pool, names, statements, lock, writer, definitions };

  /** Applies a plan to the run under its row lock; NOTIFY (delivered at commit) when work was left for a worker. */
  async function direct<T>(run: RunRef<'db'>, plan: DirectInputPlan<T>, onMissing: () => T, before?: (status: string) => void): Promise<T> {
    const result = await inTransaction(pool, async (client) => {
      const locked = await lockRun(client, lock, run.tenant, run.runId);
      if (!locked) return { value: { value: onMissing(), commits: [] as RunCommit[] }, commit: false };
      before?.(locked.status);
      const outcome = await applyToLockedRun(directDeps, client, locked, plan);
      if ('rejected' in outcome) return { value: { value: outcome.rejected, commits: [] as RunCommit[] }, commit: false };
      if (outcome.notify) await client.query('SELECT pg_notify($1, $2)', [channel, '']);
      return { value: { value: outcome.value, commits: outcome.commits }, commit: true };
    });
    for (const c of result.commits) if (c.terminal) settled({ tenant: c.tenant, runId: c.runId, status: c.status as SettledRun['status'], ...(c.shadowed !== undefined ? { shadowed: c.shadowed } : {}) });
    return result.value;
  }

  const notFound = (run: RunRef<'db'>) => () => {
    throw new BatonError(ErrorCode.RUN_NOT_FOUND, `run ${run.runId} not found`, { details: { runId: run.runId } });
  };

  /** One event on its own transaction (the path a failed batch falls back to). */
  async function deliverOneEvent({ run, event }: EventDelivery): Promise<void> {
    let waitId = '';
    const preclosed = new Set<string>();
    await direct<void>(
      run,
      {
        // The conditional update is the gate: one event resumes a wait once, and an event id resumes nothing twice.
        async prepare(client) {
          const rows = await client.query<{ wait_id: string }>(
            `UPDATE ${names.waits} SET status = 'RESOLVED', resolved_by = $5, resolved_at = now()
             WHERE wait_id = (SELECT wait_id FROM ${names.waits}
                              WHERE run_id = $1 AND tenant_id = $2 AND wait_type = 'EVENT' AND event_name = $3 AND correlation_key = $4 AND status = 'WAITING'
                              ORDER BY created_at LIMIT 1)
               AND run_id = $1 AND status = 'WAITING'
               AND NOT EXISTS (SELECT 1 FROM ${names.waits} WHERE run_id = $1 AND resolved_by = $5)
             RETURNING wait_id`,
            [run.runId, run.tenant, event.eventName, event.correlationKey, event.eventId],
          );
          const found = rows.rows[0];
          if (!found) return { skip: undefined };
          waitId = found.wait_id;
          preclosed.add(waitId);
          return undefined;
        },
        preclosed,
        input: (_state, now) => ({ type: 'EventReceived', now, waitId, event }),
        // A filtered-out event: rolled back, the wait stays open, only the audit remembers it.
        rejected: () => undefined,
        applied: () => undefined,
        get resolutions() {
          return new Map([[waitId, { by: event.eventId }]]);
        },
      },
      notFound(run),
    );
  }

  const eventStatements: EventBatchStatements = {
    lockRuns: sqlStatement('lock_runs', lockRunsStatement(names), prepared),
    resolveWaits: sqlStatement('resolve_event_waits', resolveEventWaitsStatement(names), prepared),
  };
  const eventQueue = new EventDeliveryQueue(
    async (deliveries) => {
      const result = await deliverEventBatch(directDeps, eventStatements, deliveries);
      for (const c of result.commits) if (c.terminal) settled({ tenant: c.tenant, runId: c.runId, status: c.status as SettledRun['status'], ...(c.shadowed !== undefined ? { shadowed: c.shadowed } : {}) });
      return result;
    },
    deliverOneEvent,
    options.maxEventBatchSize,
  );


  async function ensureDefinition(req: StartRunRequest): Promise<void> {
    const key = `${req.tenant}\u0000${req.workflow.name}\u0000${req.workflow.version}`;
    if (knownDefinitions.has(key)) return;
    const outcome = await definitionStore.publish(req.tenant, {
      name: req.workflow.name,
      version: req.workflow.version,
      hash: req.workflow.hash,
      definition: req.definition,
      triggerEventName: req.definition.trigger?.type === 'event' ? req.definition.trigger.eventName : null,
      publishedAt: req.startedAt,
    });
    if (outcome.status === 'conflict') {
      // The run would execute the stored document, not the one it was started with.
      throw new BatonError(
        ErrorCode.WORKFLOW_VERSION_EXISTS,
        `${req.workflow.name}@${req.workflow.version} is stored with hash ${outcome.existing.hash}, the run was started with ${req.workflow.hash}`,
        { details: { name: req.workflow.name, version: req.workflow.version, hash: outcome.existing.hash } },
      );
    }
    knownDefinitions.add(key);
  }

  /**
   * Starts one run with the one-run statement (insert, or make an existing never-started row
   * runnable); a local worker with a free slot takes it at once (no claim round trip, no notify).
   */
  async function startOne(req: StartRunRequest): Promise<StartedRow> {
    const adopt = loop.reserve();
    let adopted = false;
    try {
      const row = await withClient(pool, async (client) => {
        const params = [
          req.runId,
          req.tenant,
          req.workflow.name,
          req.workflow.version,
          req.workflow.hash,
          req.executionKey,
          req.runKey,
          JSON.stringify(req.input),
          req.parentRunId ?? null,
          req.triggerEventId ?? null,
          req.startedAt,
          adopt ? options.workerId : null,
          options.leaseMs,
          channel,
          req.entityKey ?? null,
        ];
        return (await startStatement.run<StartedRow>(client, params)).rows[0];
      });
      if (!row) {
        // Neither inserted nor found under this tenant: the id is taken elsewhere.
        throw new BatonError(ErrorCode.INTERNAL, `run id ${req.runId} cannot be started`, { details: { runId: req.runId } });
      }
      if (row.adopted && row.engine === 'db') {
        adopted = true;
        loop.adoptReserved({
          runId: row.run_id,
          tenant: req.tenant,
          workflow: req.workflow.name,
          version: req.workflow.version,
          definitionHash: req.workflow.hash,
          runKey: req.runKey,
          input: req.input,
          state: null,
          fencingToken: String(row.fencing_token),
          parentRunId: req.parentRunId ?? null,
          createdAt: new Date(req.startedAt),
          entityKey: req.entityKey ?? null,
          needsAction: null,
          needsActionExpired: false,
          ...(req.shadow ? { shadow: req.shadow } : {}),
        });
      }
      return row;
    } finally {
      if (adopt && !adopted) loop.unreserve();
    }
  }

  const engine: PostgresEngine = {
    kind: 'db',
    capabilities: defineCapabilities({ retryFailedRun: true, adminResume: true, batchedDelivery: true, storesRunOnStart: true }),
    workerId: options.workerId,
    get commitStats() {
      return { ...batcher.stats };
    },
    get eventStats() {
      return eventQueue.stats;
    },
    get startStats() {
      return { ...startBatcher.stats };
    },

    async start(req) {
      await ensureDefinition(req);
      const row = await startOne(req);
      if (row.engine !== 'db') throw new EngineAuthorityError('db', { engine: row.engine, runId: row.run_id });
      return createRunRef('db', req.tenant, row.run_id);
    },

    async createAndStart(req) {
      await ensureDefinition(req);
      // A local worker with a free slot takes the run in the one-run statement; otherwise the run
      // joins the next group commit of starts. A run found instead (same id or execution key) is
      // settled by the one-run statement, which also makes a never-started one runnable.
      if (!loop.canAdopt() && req.entityKey === undefined && (await startBatcher.submit(req))) return { runId: req.runId, created: true };
      const row = await startOne(req);
      return { runId: row.run_id, created: row.inserted };
    },

    async deliverEvent(run, event: RoutedEvent) {
      assertEngineAuthority(engine, run);
      await eventQueue.deliver({ run, event });
    },

    async completeHumanTask(run, task: HumanTaskCompletion) {
      assertEngineAuthority(engine, run);
      await direct<void>(
        run,
        {
          async prepare(client, _locked, state) {
            // Under the run's row lock the wait row and the state agree: whichever input committed
            // first (this completion, the timeout, a cancel) won; runtime-core says what this one gets.
            const wait = await client.query<{ status: string }>(
              `SELECT status FROM ${names.waits} WHERE run_id = $1 AND wait_id = $2 AND wait_type = 'HUMAN_TASK'`,
              [run.runId, task.taskId],
            );
            const closure = wait.rows[0]?.status;
            const verdict = decideTaskCompletion(state, task.taskId, closure === 'RESOLVED' || closure === 'TIMED_OUT' || closure === 'CANCELED' ? closure : undefined);
            if (verdict.kind === 'closed') throw taskClosedBatonError(task.taskId, verdict.reason, run.runId);
            // Taken already (a repeated hand-off) or not a task of this run: nothing to apply.
            if (verdict.kind !== 'apply') return { skip: undefined };
            const rows = await client.query(
              `UPDATE ${names.waits} SET status = 'RESOLVED', resolved_by = $3, resolved_at = now()
               WHERE run_id = $1 AND wait_id = $2 AND wait_type = 'HUMAN_TASK' AND status = 'WAITING' RETURNING wait_id`,
              [run.runId, task.taskId, task.completedBy ?? 'task-completion'],
            );
            return rows.rows.length ? undefined : { skip: undefined };
          },
          preclosed: new Set([task.taskId]),
          input: (_state, now) => ({ type: 'HumanTaskCompleted', now, taskId: task.taskId, response: task.response, ...(task.completedBy ? { completedBy: task.completedBy } : {}) }),
          rejected: (rejection) => {
            throw new BatonError(ErrorCode.VALIDATION_ERROR, rejection?.message ?? 'the task response was refused', {
              details: { runId: run.runId, taskId: task.taskId, ...(rejection?.details !== undefined ? { issues: rejection.details } : {}) },
            });
          },
          applied: () => undefined,
          resolutions: new Map([[task.taskId, { by: task.completedBy ?? 'task-completion', response: task.response }]]),
        },
        notFound(run),
      );
    },

    async readVariables(run) {
      assertEngineAuthority(engine, run);
      const row = await withClient(pool, async (client) => {
        const result = await client.query(`SELECT state -> 'vars' AS vars FROM ${names.runs} WHERE tenant_id = $1 AND run_id = $2 AND engine = 'db'`, [run.tenant, run.runId]);
        return result.rows[0] as { vars: JsonObject | null } | undefined;
      });
      return row?.vars ?? undefined;
    },

    async cancel(run, reason) {
      assertEngineAuthority(engine, run);
      const finished = () => refusal(ErrorCode.RUN_ALREADY_FINISHED, `run ${run.runId} has already finished`, run);
      await direct<void>(
        run,
        {
          input: (_state, now) => ({ type: 'Cancel', now, reason }),
          rejected: () => {
            throw finished();
          },
          applied: () => undefined,
        },
        notFound(run),
        (status) => {
          if (TERMINAL.has(status)) throw finished();
        },
      );
    },

    async retry(run, reason) {
      assertEngineAuthority(engine, run);
      await direct<void>(
        run,
        {
          input: (_state, now) => ({ type: 'RetryFailed', now, reason }),
          rejected: (rejection) => {
            throw refusal(ErrorCode.RUN_NOT_FAILED, rejection?.message ?? `run ${run.runId} has not failed`, run, rejection);
          },
          applied: () => undefined,
        },
        notFound(run),
      );
    },

    async resume(run, request) {
      assertEngineAuthority(engine, run);
      await direct<void>(
        run,
        {
          input: (_state, now) => ({ type: 'Resume', now, reason: request.reason, ...(request.response !== undefined ? { response: request.response } : {}) }),
          rejected: (rejection) => {
            if (rejection?.code === REJECTION_CODE.RUN_ALREADY_FINISHED) throw refusal(ErrorCode.RUN_ALREADY_FINISHED, `run ${run.runId} has already finished`, run);
            throw refusal(ErrorCode.RUN_NOT_WAITING, rejection?.message ?? `run ${run.runId} has no wait to resume`, run, rejection);
          },
          applied: () => undefined,
          defaultResolution: { by: 'operator', ...(request.response !== undefined ? { response: request.response } : {}) },
        },
        notFound(run),
      );
    },

    async upgradeRun(run, request) {
      assertEngineAuthority(engine, run);
      return upgradeDbRun({ pool, names, schema: options.schema, lock, channel }, run.tenant, run.runId, request);
    },

    async startWorker() {
      if (listener) return;
      // A worker of older code must not advance runs in a schema a newer release migrated (or one not migrated yet).
      await assertSchemaCurrent(db, { schema: options.schema });
      listener = startWakeListener({ pool, channel, onWake: () => loop.notified(), onError });
      leases.start();
      loop.start();
      await listener.ready;
    },

    async stopWorker(stop = {}) {
      await loop.stop(stop.graceMs ?? 10_000);
      leases.stop();
      await listener?.close();
      listener = undefined;
    },

    async awaitRun(run, wait = {}) {
      assertEngineAuthority(engine, run);
      const deadline = Date.now() + (wait.timeoutMs ?? 60_000);
      const pollMs = wait.pollMs ?? 250;
      for (;;) {
        const record = await runStore.get(run.tenant, run.runId);
        if (!record) throw new BatonError(ErrorCode.RUN_NOT_FOUND, `run ${run.runId} not found`, { details: { runId: run.runId } });
        if (record.engine !== 'db') throw new EngineAuthorityError('db', { engine: record.engine, runId: run.runId });
        if (TERMINAL.has(record.status)) return record;
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`run ${run.runId} did not finish in time (status ${record.status})`);
        await new Promise<void>((resolve) => {
          const waiters = settledWaiters.get(run.runId) ?? new Set();
          settledWaiters.set(run.runId, waiters);
          const done = () => {
            clearTimeout(timer);
            waiters.delete(done);
            if (waiters.size === 0) settledWaiters.delete(run.runId);
            resolve();
          };
          const timer = setTimeout(done, Math.min(pollMs, remaining));
          waiters.add(done);
        });
      }
    },
  };
  return engine;
}
