import { randomBytes } from 'node:crypto';
import {
  createPostgresActionCatalog,
  createPostgresEngine,
  createPostgresRunCompletionFeed,
  createPostgresSecretStore,
  createPostgresStores,
  parseSecretKey,
  type PostgresActionCatalog,
  type PostgresEngine,
  type PostgresSecretStore,
} from '@baton/db-legacy-adapter';
import { createRuntime, type ActionRegistry, type DriverTestHooks, type Runtime, type RuntimeStores } from '@baton/runtime-core';
import type { TemporalEngine } from '@baton/temporal-adapter';
import type { FastifyBaseLogger } from 'fastify';
import { buildIngressApp, type IngressApp } from '../app/build-app.js';
import { createApiKeyTable } from '../auth/api-keys.js';
import { createIngressMetrics, type IngressMetrics } from '../metrics/ingress-metrics.js';
import { createActionCatalogSource } from '../actions/action-catalog-source.js';
import { builtinActionRegistry, createCatalogDefinitionValidator } from '../wiring/definition-validator.js';
import { startEngineEnv, type EngineEnv } from './engine-env.js';
import { wireDeployments } from '../wiring/deployment-wiring.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TENANT_A = { tenant: 'tenant-a', key: 'key-a-0123456789' } as const;
export const TENANT_B = { tenant: 'tenant-b', key: 'key-b-0123456789' } as const;
export const auth = (t: { readonly key: string }) => ({ authorization: `Bearer ${t.key}` });

export interface IngressHarness {
  readonly app: IngressApp;
  readonly runtime: Runtime;
  readonly stores: RuntimeStores;
  readonly metrics: IngressMetrics;
  readonly db: TestDatabase;
  /** the live action catalog table publishing and `GET /v1/actions` read (register workers' actions here) */
  readonly actionCatalog: PostgresActionCatalog;
  /** the encrypted secrets table (with a random BATON_SECRETS_KEY) behind `/v1/secrets` and the publish check */
  readonly secrets: PostgresSecretStore;
  /** present when the harness runs both engines */
  readonly engines?: EngineEnv;
  /** present when the harness runs only the Postgres engine */
  readonly dbEngine?: PostgresEngine;
  close(): Promise<void>;
}

export interface IngressHarnessOptions {
  /** `both`: the Postgres engine loop and a Temporal worker run in this process; `db`: only the Postgres engine loop; `none`: no engine is wired @default 'none' */
  readonly engines?: 'none' | 'db' | 'both';
  /** BATON_EVENT_CORRELATION_PATHS */
  readonly correlation?: string;
  readonly bodyLimit?: number;
  /** the app's logger @default silent */
  readonly logger?: FastifyBaseLogger;
  /** a Temporal engine wired instead of the harness's engines (e.g. one whose server is down) */
  readonly temporal?: TemporalEngine;
  /** the actions the engines run @default the built-ins and the test actions */
  readonly actions?: ActionRegistry;
  /** test-only hooks both engines' drivers apply (a driver difference for the shadow comparison) */
  readonly testHooks?: DriverTestHooks;
}

/** An ingress app over a fresh Postgres schema, wired like the real process (built-in + test actions). */
export async function createIngressHarness(suite: string, options: IngressHarnessOptions = {}): Promise<IngressHarness> {
  const db = await createTestDatabase(suite);
  const stores = createPostgresStores({ pool: db.pool, schema: db.schema });
  const actions = options.actions ?? builtinActionRegistry({ enableTestActions: true });
  const completions = createPostgresRunCompletionFeed({ pool: db.pool, schema: db.schema });
  const actionCatalog = createPostgresActionCatalog({ pool: db.pool, schema: db.schema });
  const catalog = createActionCatalogSource({ builtins: actions.list(), live: () => actionCatalog.listLive() });
  const secrets = createPostgresSecretStore({ pool: db.pool, schema: db.schema, key: parseSecretKey(randomBytes(32).toString('base64')) });
  let engines: EngineEnv | undefined;
  let dbEngine: PostgresEngine | undefined;
  try {
    await completions.ready;
    const metrics = createIngressMetrics({ processMetrics: false });
    const onShadowCompared = (result: 'MATCH' | 'DIFFERENT') => metrics.shadowComparisons.inc({ result });
    if (options.engines === 'both') engines = await startEngineEnv(suite, db, stores, actions, { onShadowCompared, ...(options.testHooks ? { testHooks: options.testHooks } : {}) });
    if (options.engines === 'db') {
      dbEngine = createPostgresEngine({ pool: db.pool, schema: db.schema, actions, pollIntervalMs: 200, concurrency: 4 });
      await dbEngine.startWorker();
    }
    const runtime = createRuntime({
      ...stores,
      onShadowCompared,
      engines: engines
        ? { db: engines.db, temporal: engines.temporal }
        : dbEngine
          ? { db: dbEngine }
          : options.temporal
            ? { temporal: options.temporal }
            : {},
      validateDefinition: createCatalogDefinitionValidator(catalog, secrets),
      ...(options.correlation ? { correlation: options.correlation } : {}),
      completions,
    });
    const app = await buildIngressApp({
      runtime,
      metrics,
      apiKeys: createApiKeyTable([TENANT_A, TENANT_B]),
      actions: catalog,
      secrets: { writer: secrets },
      health: [{ name: 'database', check: async () => void (await db.pool.query('select 1')) }],
      ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(engines ? { deployments: wireDeployments({ client: engines.client, runs: stores.runs, taskQueue: engines.taskQueue }) } : {}),
    });
    await app.ready();
    return {
      app,
      runtime,
      stores,
      metrics,
      db,
      actionCatalog,
      secrets,
      ...(engines ? { engines } : {}),
      ...(dbEngine ? { dbEngine } : {}),
      async close() {
        await completions.close();
        await app.close();
        await engines?.close();
        await dbEngine?.stopWorker({ graceMs: 1_000 });
        await db.drop();
      },
    };
  } catch (err) {
    await completions.close();
    await engines?.close();
    await dbEngine?.stopWorker({ graceMs: 1_000 });
    await db.drop();
    throw err;
  }
}
