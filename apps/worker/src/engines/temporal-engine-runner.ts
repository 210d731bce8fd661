import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import {
  bundleBatonWorkflows,
  createBatonWorker,
  createTemporalEngine,
  createTemporalReconciler,
  setCurrentDeploymentVersion,
  type BatonDeployment,
  type InterpreterMode,
} from '@baton/temporal-adapter';
import { isTerminalRunStatus } from '@baton/event-schemas';
import type { ActionRegistry, ActionResultStore, RuntimeStores, RunStore, SecretStore, StaleRunScan } from '@baton/runtime-core';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import type { EngineRunner } from './engine-runner.js';
import { startTemporalReconcileLoop, type TemporalReconcileLoop } from './temporal-reconcile-loop.js';

/** Options of {@link createTemporalEngineRunner}. */
export interface TemporalEngineRunnerOptions {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  /** where the interpreter runs: in the workflow code or in a local activity per advance. @default 'workflow' */
  readonly interpreter?: InterpreterMode;
  readonly actions: ActionRegistry;
  /** the Postgres stores: definitions to resolve, projections to write */
  readonly stores: RuntimeStores;
  /** unfinished Temporal projections not updated for a while (the reconciler reads them) */
  readonly staleRuns: StaleRunScan;
  /** the worker's pool and schema: the reconciler's advisory lock */
  readonly pool: pg.Pool;
  readonly schema: string;
  /** the reconciler: every `intervalMs` (0 = off), up to `batch` projections unchanged for `staleMs` */
  readonly reconcile: { readonly intervalMs: number; readonly staleMs: number; readonly batch: number };
  /** completed action invocations by idempotency key (the Postgres invocations table) */
  readonly actionResults: ActionResultStore;
  /** where `{"$secret": name}` references resolve from, inside the action activity */
  readonly secrets: SecretStore;
  /** the deployment version this worker polls as; `buildId` absent = derived from the workflow bundle */
  readonly deployment: Omit<BatonDeployment, 'buildId'> & { readonly buildId?: string };
  /** make this worker's version the deployment's current version once it polls */
  readonly setCurrentVersion: boolean;
  /** Temporal's own grace for in-flight activities at shutdown */
  readonly shutdownGraceMs: number;
  readonly concurrency: number;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  /** called when the Temporal worker stops on its own (a fatal error) */
  readonly onFatal: (error: Error) => void;
}

/** Routes the Temporal SDK's logs (and only those at WARN and above) to pino. */
function installTemporalRuntime(logger: Logger): void {
  const toPino = (level: LogLevel): 'trace' | 'debug' | 'info' | 'warn' | 'error' =>
    level === 'TRACE' ? 'trace' : level === 'DEBUG' ? 'debug' : level === 'INFO' ? 'info' : level === 'WARN' ? 'warn' : 'error';
  try {
    // The process handles SIGTERM/SIGINT itself (ordered shutdown of both engines), so the SDK must not.
    Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN', (entry) => logger[toPino(entry.level)]({ temporal: entry.meta }, entry.message)) });
  } catch {
    // already installed in this process (tests run several workers)
  }
}

/** Counts Temporal runs this worker finished, from the projection writes its activities make. */
function countingRunStore(runs: RunStore, metrics: WorkerMetrics): RunStore {
  return {
    create: (tenant, run) => runs.create(tenant, run),
    get: (tenant, runId) => runs.get(tenant, runId),
    list: (tenant, query) => runs.list(tenant, query),
    upsertSteps: (tenant, runId, steps) => runs.upsertSteps(tenant, runId, steps),
    listSteps: (tenant, runId) => runs.listSteps(tenant, runId),
    async update(tenant, runId, patch, condition) {
      const record = await runs.update(tenant, runId, patch, condition);
      // The projection only moves out of RUNNING/WAITING once, so a retried write is not counted twice.
      // Shadow runs are not runs of the workflow: they are not counted.
      if (record && record.shadow?.role !== 'shadow' && patch.status && isTerminalRunStatus(patch.status)) {
        const labels = { engine: record.engine, workflow: metrics.workflows.label(tenant, record.workflow) };
        if (patch.status === 'SUCCEEDED') metrics.runsCompleted.inc(labels);
        else if (patch.status === 'FAILED') metrics.runsFailed.inc(labels);
        else metrics.runsCanceled.inc(labels);
      }
      return record;
    },
  };
}

/** The Temporal worker (Worker Deployment Versioning, PINNED by default) as an {@link EngineRunner}. */
export function createTemporalEngineRunner(options: TemporalEngineRunnerOptions): EngineRunner & { readonly buildId: () => string | undefined } {
  const { logger } = options;
  let connection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let buildId: string | undefined;
  let fatal: Error | undefined;
  let clientConnection: Connection | undefined;
  let reconcileLoop: TemporalReconcileLoop | undefined;

  return {
    engine: 'temporal',
    buildId: () => buildId,
    async start() {
      installTemporalRuntime(logger);
      const bundleStarted = performance.now();
      const interpreter = options.interpreter ?? 'workflow';
      const bundle = await bundleBatonWorkflows({ interpreter });
      // The default build id names the workflow code itself: a new interpreter gets a new
      // version, and the same code keeps its version across restarts (pinned runs stay served).
      buildId = options.deployment.buildId ?? `baton-${crypto.createHash('sha256').update(bundle.code).digest('hex').slice(0, 16)}`;
      logger.info({ ms: Math.round(performance.now() - bundleStarted), buildId }, 'temporal engine: workflow bundle ready');
      connection = await NativeConnection.connect({ address: options.address });
      const deployment: BatonDeployment = { ...options.deployment, buildId };
      worker = await createBatonWorker({
        connection,
        namespace: options.namespace,
        taskQueue: options.taskQueue,
        actions: options.actions,
        actionResults: options.actionResults,
        secrets: options.secrets,
        store: { ...options.stores, runs: countingRunStore(options.stores.runs, options.metrics) },
        deployment,
        interpreter,
        workflowBundle: bundle,
        onShadowCompared: (result) => options.metrics.shadowComparisons.inc({ result }),
        tuning: { shutdownGraceTime: options.shutdownGraceMs, maxConcurrentActivityTaskExecutions: options.concurrency },
      });
      running = worker.run().then(
        () => undefined,
        (error: unknown) => {
          fatal = error instanceof Error ? error : new Error(String(error));
          logger.error({ err: fatal }, 'temporal engine: the worker stopped');
          options.onFatal(fatal);
        },
      );
      logger.info({ address: options.address, namespace: options.namespace, taskQueue: options.taskQueue, deployment, interpreter }, 'temporal engine: polling');
      if (options.setCurrentVersion) {
        await setCurrentDeploymentVersion(connection.workflowService, deployment, { namespace: options.namespace, waitMs: 60_000 });
        logger.info({ deployment }, 'temporal engine: this build is the current deployment version');
      }
      if (options.reconcile.intervalMs > 0) {
        clientConnection = await Connection.connect({ address: options.address });
        const client = new Client({ connection: clientConnection, namespace: options.namespace });
        const runs = countingRunStore(options.stores.runs, options.metrics);
        const reconciler = createTemporalReconciler({
          client: client.workflow,
          engine: createTemporalEngine({ client, taskQueue: options.taskQueue }),
          runs,
          scan: options.staleRuns,
          definitions: options.stores.definitions,
          staleAfterMs: options.reconcile.staleMs,
          batchSize: options.reconcile.batch,
        });
        reconcileLoop = startTemporalReconcileLoop({ reconciler, pool: options.pool, schema: options.schema, intervalMs: options.reconcile.intervalMs, metrics: options.metrics, logger });
        logger.info(options.reconcile, 'temporal engine: reconciler on');
      }
    },
    async stop() {
      await reconcileLoop?.stop();
      await clientConnection?.close();
      clientConnection = undefined;
      // Temporal's own shutdownGraceTime (set at creation) bounds the wait for in-flight activities;
      // unfinished workflow tasks go back to the queue for another worker.
      if (worker && worker.getState() !== 'STOPPED' && worker.getState() !== 'FAILED') worker.shutdown();
      await running;
      await connection?.close();
      connection = undefined;
      logger.info('temporal engine: stopped');
    },
    async health() {
      if (fatal) return { ok: false, message: fatal.message };
      if (!worker || !connection) return { ok: false, message: 'starting' };
      const state = worker.getState();
      if (state !== 'RUNNING') return { ok: false, message: `worker ${state}` };
      await connection.healthService.check({});
      return { ok: true };
    },
  };
}
