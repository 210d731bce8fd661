import { Redis } from 'ioredis';
import type { PostgresRunCompletionFeed } from '@baton/db-legacy-adapter';
import type { FastifyBaseLogger } from 'fastify';
import { chainSecretStores, createRuntime, loadSecretsFile, type EngineSet, type Runtime } from '@baton/runtime-core';
import { buildIngressApp, type IngressApp } from '../app/build-app.js';
import type { IngressConfig } from '../config/ingress-config.js';
import { defaultConsoleDir } from '../console/console-assets.js';
import { createEventRouter } from '../events/event-router.js';
import { startInboxPruner } from '../events/inbox-pruner.js';
import type { HealthCheck } from '../health/health-check.js';
import { createIngressMetrics, type IngressMetrics } from '../metrics/ingress-metrics.js';
import { createEventStreamConsumer, type EventStreamConsumer } from '../stream/event-stream-consumer.js';
import { createPostgresActionCatalog, createPostgresSecretStore } from '@baton/db-legacy-adapter';
import { createActionCatalogSource } from '../actions/action-catalog-source.js';
import { startTaskHandoffDrainer, type TaskHandoffDrainer } from '../tasks/task-handoff-drainer.js';
import { builtinActionRegistry, createCatalogDefinitionValidator } from './definition-validator.js';
import { wireEngines } from './wire-engines.js';
import { openPostgres, type PostgresResources } from './postgres-resources.js';
import { connectTemporal, type TemporalResources } from './temporal-resources.js';
import { createTemporalStuckRuns } from '@baton/temporal-adapter';
import { wireDeployments } from './deployment-wiring.js';

/** A wired ingress: the HTTP app, the stream consumer (when `REDIS_URL` is set) and what they hold open. */
export interface IngressProcess {
  readonly app: IngressApp;
  readonly runtime: Runtime;
  readonly metrics: IngressMetrics;
  /** the finished-run notifications `?wait=` requests wait on */
  readonly completions: PostgresRunCompletionFeed;
  readonly consumer?: EventStreamConsumer;
  /** Listens on the configured host and port and starts the stream consumer; answers the URL. */
  start(): Promise<string>;
  /**
   * Graceful stop: the consumer stops reading and finishes (and acks) entries in flight, the server
   * stops accepting and drains requests in flight, then Redis, Temporal and Postgres are closed.
   */
  stop(): Promise<void>;
}

/** Options of {@link createIngressProcess}. */
export interface IngressProcessOptions {
  readonly logger: FastifyBaseLogger;
  /** register `test.fail` and `test.flaky` so definitions using them validate (`BATON_ENABLE_TEST_ACTIONS`) @default false */
  readonly enableTestActions?: boolean;
}

/** Wires the ingress from its configuration: Postgres (migrated), Temporal (when configured), engines, run service, app, consumer. */
export async function createIngressProcess(config: IngressConfig, options: IngressProcessOptions): Promise<IngressProcess> {
  const { logger } = options;
  const closers: Array<() => Promise<unknown>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((err: unknown) => logger.error({ err }, 'error while closing'));
  };
  try {
    const postgres: PostgresResources = await openPostgres({ url: config.databaseUrl, schema: config.schema, migrate: config.migrate, poolSize: config.poolSize });
    closers.push(() => postgres.close());
    const health: HealthCheck[] = [postgres.health];

    let temporal: TemporalResources | undefined;
    if (config.temporal) {
      temporal = await connectTemporal(config.temporal);
      closers.push(() => temporal!.close());
      health.push(temporal.health);
    }

    const actions = builtinActionRegistry({ enableTestActions: options.enableTestActions ?? false });
    // Publishing checks the built-ins plus what live workers registered (their BATON_ACTIONS).
    const liveCatalog = createPostgresActionCatalog({ pool: postgres.pool, schema: config.schema });
    const catalog = createActionCatalogSource({ builtins: actions.list(), live: () => liveCatalog.listLive() });
    // Publishing checks `{"$secret": name}` against BATON_SECRETS_FILE, then the secrets table (names need no key).
    const secretTable = createPostgresSecretStore({ pool: postgres.pool, schema: config.schema, ...(config.secrets.key ? { key: config.secrets.key } : {}) });
    const secretNames = config.secrets.file ? chainSecretStores([loadSecretsFile(config.secrets.file), secretTable]) : secretTable;
    const engines: EngineSet = wireEngines({
      postgres,
      actions,
      ...(temporal && config.temporal ? { temporal: { client: temporal.client, taskQueue: config.temporal.taskQueue } } : {}),
    });
    logger.info({ engines: Object.keys(engines) }, 'engines wired');

    const metrics = createIngressMetrics();
    const runtime = createRuntime({
      ...postgres.stores,
      onShadowCompared: (result) => metrics.shadowComparisons.inc({ result }),
      engines,
      validateDefinition: createCatalogDefinitionValidator(catalog, secretNames),
      defaultEngine: config.defaultEngine,
      correlation: config.correlation,
      eventBatching: { lingerMs: config.eventBatchLingerMs },
      completions: postgres.completions,
      // GET /v1/runs?stuck=true: Postgres runs parked on an action no live worker provides (the store's
      // own judge), then Temporal runs pinned to a build no worker polls.
      ...(temporal && config.temporal
        ? { engineStuckRuns: [createTemporalStuckRuns({ client: temporal.client, runs: postgres.stores.runs, namespace: config.temporal.namespace })] }
        : {}),
    });
    if (postgres.stores.inbox) {
      const pruner = startInboxPruner({ inbox: postgres.stores.inbox, retentionMs: config.inboxRetentionMs, logger });
      closers.push(() => pruner.stop());
    }
    const eventRouter = createEventRouter({ runtime, metrics, logger });

    let redis: Redis | undefined;
    let consumer: EventStreamConsumer | undefined;
    if (config.stream) {
      redis = new Redis(config.stream.url, { lazyConnect: true, maxRetriesPerRequest: null });
      // Connection errors go to the log (ioredis reconnects by itself), not unstructured to the console.
      redis.on('error', (err: unknown) => logger.warn({ err }, 'redis connection error'));
      await redis.connect();
      const client = redis;
      closers.push(() => client.quit());
      health.push({ name: 'redis', check: async () => void (await client.ping()) });
      consumer = createEventStreamConsumer({
        redis,
        router: eventRouter,
        stream: config.stream.stream,
        group: config.stream.group,
        consumer: config.stream.consumer,
        deadLetterStream: config.stream.deadLetterStream,
        maxAttempts: config.stream.maxAttempts,
        reclaimIdleMs: config.stream.reclaimIdleMs,
        batchSize: config.stream.batchSize,
        signingKeys: config.apiKeys.streamSigningKeys,
        maxJsonDepth: config.maxJsonDepth,
        metrics,
        logger,
      });
    }

    const consoleDir = config.consoleDir ?? defaultConsoleDir();
    const app = await buildIngressApp({
      runtime,
      apiKeys: config.apiKeys,
      metrics,
      health,
      logger,
      bodyLimit: config.http.bodyLimit,
      maxJsonDepth: config.maxJsonDepth,
      eventRouter,
      actions: catalog,
      secrets: { names: secretTable, ...(config.secrets.key ? { writer: secretTable } : {}) },
      ...(consoleDir === undefined ? {} : { consoleDir }),
      ...(temporal && config.temporal
        ? { deployments: wireDeployments({ client: temporal.client, runs: postgres.stores.runs, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue }) }
        : {}),
    });
    let stopped: Promise<void> | undefined;
    let drainer: TaskHandoffDrainer | undefined;
    return {
      app,
      runtime,
      metrics,
      completions: postgres.completions,
      ...(consumer ? { consumer } : {}),
      async start() {
        const url = await app.listen({ host: config.http.host, port: config.http.port });
        await consumer?.start();
        drainer = startTaskHandoffDrainer({ runtime, intervalMs: config.taskHandoffIntervalMs, logger });
        return url;
      },
      stop() {
        stopped ??= (async () => {
          await consumer?.stop();
          await drainer?.stop();
          // Requests waiting for a run answer its current state now instead of holding the drain.
          await postgres.completions.close();
          // fastify closes the connections idle when closing starts; a keep-alive connection whose
          // answer was still being written then would hold the close until its keep-alive timeout.
          const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
          try {
            await app.close();
          } finally {
            clearInterval(sweep);
          }
          await closeAll();
        })();
        return stopped;
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
