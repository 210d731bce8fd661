import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createDatabase, createPostgresActionCatalog, createPostgresActionResultStore, createPostgresSecretStore, createPostgresStores } from '@baton/db-legacy-adapter';
import { ActionRegistry, chainSecretStores, loadSecretsFile, type ActionLogger, type SecretStore } from '@baton/runtime-core';
import pg from 'pg';
import type { Logger } from 'pino';
import { instrumentActions } from './actions/instrument-actions.js';
import { registerInCatalog, type CatalogRegistration } from './catalog/catalog-registration.js';
import { BUILTIN_MODULE, loadActionModules } from './actions/load-action-modules.js';
import type { WorkerConfig } from './config/worker-config.js';
import type { EngineRunner } from './engines/engine-runner.js';
import { createPostgresEngineRunner } from './engines/postgres-engine-runner.js';
import { createTemporalEngineRunner } from './engines/temporal-engine-runner.js';
import { startHealthServer, type HealthChecks, type HealthServer } from './http/health-server.js';
import { startRunTableSampler } from './metrics/run-table-sampler.js';
import { createWorkerMetrics, type WorkerMetrics } from './metrics/worker-metrics.js';
import { runMigrations } from './migrations/run-migrations.js';
import { startRollbackLoop, type RollbackLoop } from './rollout/rollback-loop.js';

/** Options of {@link startWorker} besides the configuration. */
export interface StartWorkerOptions {
  readonly logger: Logger;
  /** The actions this worker runs (built-ins included). @default the built-ins plus the actions of `config.actionModules` */
  readonly actions?: ActionRegistry;
  /** Called when an engine stops on its own; the process should shut down and exit non-zero. */
  readonly onFatal?: (error: Error) => void;
}

/** A running worker process. */
export interface BatonWorker {
  /** this process's id in the live action catalog */
  readonly workerId: string;
  readonly health: HealthServer;
  readonly metrics: WorkerMetrics;
  readonly engines: readonly EngineRunner[];
  /** the automatic rollback loop (`undefined` when `BATON_ROLLBACK_INTERVAL_MS` is 0) */
  readonly rollback: RollbackLoop | undefined;
  /** Stops claiming, lets in-flight steps finish up to the configured deadline, releases leases, closes connections. */
  shutdown(): Promise<void>;
}

function actionLoggerOf(logger: Logger): ActionLogger {
  return { log: (level, message, fields) => logger[level]({ ...fields, source: 'action' }, message) };
}

/** The built-ins plus the actions of the configured modules (an {@link ActionModuleError} when two provide the same id@version). */
async function loadActionRegistry(config: WorkerConfig, logger: Logger): Promise<ActionRegistry> {
  const loaded = await loadActionModules(config.actionModules, { enableTestActions: config.enableTestActions, http: config.httpEgress });
  const fromModules = loaded.filter((l) => l.module !== BUILTIN_MODULE);
  if (fromModules.length > 0) {
    logger.info({ modules: config.actionModules, actions: fromModules.map((l) => `${l.action.id}@${l.action.version}`) }, 'action modules loaded');
  }
  return new ActionRegistry(loaded.map((l) => l.action));
}

/** `BATON_SECRETS_FILE` (when set) first, then the encrypted `secrets` table. */
export function secretStoreOf(config: Pick<WorkerConfig, 'secrets' | 'schema'>, pool: pg.Pool): SecretStore {
  const table = createPostgresSecretStore({ pool, schema: config.schema, ...(config.secrets.key ? { key: config.secrets.key } : {}) });
  return config.secrets.file ? chainSecretStores([loadSecretsFile(config.secrets.file), table]) : table;
}

/** Starts the engines the configuration selects, the health/metrics endpoint and the gauge sampler. */
export async function startWorker(config: WorkerConfig, options: StartWorkerOptions): Promise<BatonWorker> {
  const { logger } = options;
  const metrics = createWorkerMetrics({ ...(config.metricsLabels.key ? { labelKey: config.metricsLabels.key } : {}), maxWorkflows: config.metricsLabels.maxWorkflows });
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.concurrency + 6, application_name: 'baton-worker' });
  // An idle client's error (server restart) must not crash the process; queries report their own.
  pool.on('error', (error) => logger.warn({ err: error }, 'postgres pool: idle client error'));
  const started: EngineRunner[] = [];
  let health: HealthServer | undefined;
  let sampler: ReturnType<typeof startRunTableSampler> | undefined;
  let registration: CatalogRegistration | undefined;
  let rollback: RollbackLoop | undefined;
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  const closeAll = async (graceMs: number): Promise<void> => {
    sampler?.stop();
    await rollback?.stop();
    // Leave the catalog first: publishing stops counting this worker before it stops serving.
    await registration?.stop();
    await Promise.all(started.map((runner) => runner.stop(graceMs).catch((error: unknown) => logger.error({ err: error, engine: runner.engine }, 'engine did not stop cleanly'))));
    await health?.close();
    await pool.end();
  };

  try {
    // User code first: a bad action module stops the start before anything else is touched.
    const base = options.actions ?? (await loadActionRegistry(config, logger));
    const secrets = secretStoreOf(config, pool);
    if (config.migrate) {
      const result = await runMigrations(pool, config.schema);
      logger.info({ applied: result.applied, schema: config.schema }, 'migrations');
    }
    const stores = createPostgresStores({ pool, schema: config.schema });
    const registryFor = (engine: 'db' | 'temporal'): ActionRegistry =>
      instrumentActions(base, (action, outcome, seconds) => metrics.stepDuration.observe({ engine, action: `${action.id}@${action.version}`, outcome }, seconds));
    const actionLogger = actionLoggerOf(logger);
    const onFatal = options.onFatal ?? ((error: Error) => logger.fatal({ err: error }, 'engine failed'));

    const runners: EngineRunner[] = config.engines.map((engine) =>
      engine === 'db'
        ? createPostgresEngineRunner({ pool, schema: config.schema, actions: registryFor('db'), runs: stores.runs, concurrency: config.concurrency, metrics, logger, actionLogger, actionWaitTimeoutMs: config.actionWaitTimeoutMs, secrets })
        : createTemporalEngineRunner({
            address: config.temporal!.address,
            namespace: config.temporal!.namespace,
            taskQueue: config.temporal!.taskQueue,
            interpreter: config.temporal!.interpreter,
            actions: registryFor('temporal'),
            stores,
            staleRuns: stores.staleRuns,
            pool,
            schema: config.schema,
            reconcile: config.temporalReconcile,
            // Durable idempotency: a completed invocation is reused, never run twice (SPEC-dsl).
            actionResults: createPostgresActionResultStore(createDatabase(pool, config.schema)),
            secrets,
            deployment: config.deployment,
            setCurrentVersion: config.deployment.setCurrent,
            shutdownGraceMs: config.shutdownTimeoutMs,
            concurrency: config.concurrency,
            metrics,
            logger,
            onFatal,
          }),
    );

    // Registered before the health endpoint answers: a healthy worker is always in the catalog.
    registration = await registerInCatalog({
      catalog: createPostgresActionCatalog({ pool, schema: config.schema }),
      workerId,
      engines: config.engines,
      actions: base,
      ttlMs: config.actionCatalogTtlMs,
      logger,
    });

    const checks: Record<string, HealthChecks[string]> = {
      database: async () => {
        await pool.query('select 1');
        return { ok: true };
      },
    };
    for (const runner of runners) checks[runner.engine === 'db' ? 'postgresEngine' : 'temporalEngine'] = () => runner.health();
    health = await startHealthServer({ host: config.http.host, port: config.http.port, checks, registry: metrics.registry });
    logger.info({ url: health.url }, 'health and metrics endpoint');

    // Start engines one by one so a failing one leaves the others stoppable.
    for (const runner of runners) {
      started.push(runner);
      await runner.start();
    }
    sampler = startRunTableSampler({ pool, schema: config.schema, metrics, intervalMs: config.metricsSampleMs, onError: (error) => logger.warn({ err: error }, 'metrics sample failed') });
    await sampler.sample();
    if (config.rollback.intervalMs > 0) {
      rollback = startRollbackLoop({ db: createDatabase(pool, config.schema), pool, schema: config.schema, ...config.rollback, metrics, logger });
    }
    logger.info({ engines: config.engines }, 'worker ready');
  } catch (error) {
    await closeAll(0);
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    workerId,
    health,
    metrics,
    engines: started,
    rollback,
    shutdown: () => (stopping ??= closeAll(config.shutdownTimeoutMs)),
  };
}
