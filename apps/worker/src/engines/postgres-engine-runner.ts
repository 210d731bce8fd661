import { createPostgresEngine, type SettledRun } from '@baton/db-legacy-adapter';
import type { ActionLogger, ActionRegistry, RunStore, SecretStore } from '@baton/runtime-core';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import type { EngineRunner } from './engine-runner.js';

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Options of {@link createPostgresEngineRunner}. */
export interface PostgresEngineRunnerOptions {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly actions: ActionRegistry;
  /** the run projection store, to label settled runs with their workflow */
  readonly runs: RunStore;
  /** runs advanced at once */
  readonly concurrency: number;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  readonly actionLogger: ActionLogger;
  /** how long a run waits for a worker providing its next action before the step fails ACTION_UNAVAILABLE */
  readonly actionWaitTimeoutMs: number;
  /** where `{"$secret": name}` references resolve from */
  readonly secrets: SecretStore;
}

/** The Postgres engine's claim loop as an {@link EngineRunner}. */
export function createPostgresEngineRunner(options: PostgresEngineRunnerOptions): EngineRunner {
  const { logger, metrics } = options;
  const count = (run: SettledRun, workflow: string | undefined, shadowRole: SettledRun['shadowRole']): void => {
    // Shadow runs are not runs of the workflow: they are not counted.
    if (shadowRole === 'shadow') return;
    const labels = { engine: 'db', workflow: workflow === undefined ? 'unknown' : metrics.workflows.label(run.tenant, workflow) };
    if (run.status === 'SUCCEEDED') metrics.runsCompleted.inc(labels);
    else if (run.status === 'FAILED') metrics.runsFailed.inc(labels);
    else metrics.runsCanceled.inc(labels);
  };
  const countSettled = (run: SettledRun): void => {
    // A run settled after a claim says its workflow; one settled elsewhere is labelled from the projection, off the hot path.
    if (run.workflow !== undefined && run.shadowRole !== undefined) return count(run, run.workflow, run.shadowRole);
    options.runs.get(run.tenant, run.runId).then(
      (record) => count(run, record?.workflow, record?.shadow?.role ?? null),
      (error: unknown) => logger.warn({ err: error, runId: run.runId }, 'could not label a settled run'),
    );
  };
  const engine = createPostgresEngine({
    pool: options.pool,
    schema: options.schema,
    actions: options.actions,
    concurrency: options.concurrency,
    actionLogger: options.actionLogger,
    secrets: options.secrets,
    onRunSettled: countSettled,
    onShadowCompared: (result) => metrics.shadowComparisons.inc({ result }),
    actionWaitTimeoutMs: options.actionWaitTimeoutMs,
    onActionMissing: ({ runId, action }) => {
      metrics.runsLeftForAction.inc({ action });
      logger.info({ runId, action }, 'postgres engine: this worker lacks the next action; the run waits for a worker that provides it');
    },
    onWorkerError: (error) => logger.warn({ err: error }, 'postgres engine: recovered from an error'),
  });
  let running = false;
  return {
    engine: 'db',
    async start() {
      await engine.startWorker();
      running = true;
      logger.info({ workerId: engine.workerId, concurrency: options.concurrency }, 'postgres engine: claiming runs');
    },
    async stop(graceMs) {
      if (!running) return;
      running = false;
      await engine.stopWorker({ graceMs });
      // Runs aborted at the deadline still hold this worker's lease; hand them back now instead
      // of making other workers wait for the lease to expire. Nothing here processes them any more.
      const released = await options.pool.query(
        `update ${quote(options.schema)}.${quote('workflow_runs')} set lease_owner = null, lease_expires_at = null
         where engine = 'db' and lease_owner = $1`,
        [engine.workerId],
      );
      logger.info({ releasedLeases: released.rowCount ?? 0 }, 'postgres engine: stopped');
    },
    async health() {
      if (!running) return { ok: false, message: 'claim loop not running' };
      await options.pool.query('select 1');
      return { ok: true };
    },
  };
}
