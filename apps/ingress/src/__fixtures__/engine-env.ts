// The two engines with their workers running in the test process, over the suite's Postgres schema:
// the Postgres engine's claim loop, and a versioned Baton Temporal worker on its own task queue whose
// projections go to the same Postgres stores (so the ingress routes events to Temporal waits).
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createPostgresEngine, type PostgresEngine } from '@baton/db-legacy-adapter';
import type { ActionRegistry, DriverTestHooks, RuntimeStores } from '@baton/runtime-core';
import { bundleBatonWorkflows, createBatonWorker, createTemporalEngine, setCurrentDeploymentVersion, type TemporalEngine } from '@baton/temporal-adapter';
import { requireEnv, type TestDatabase } from './test-database.js';

export interface EngineEnv {
  readonly db: PostgresEngine;
  readonly temporal: TemporalEngine;
  readonly client: Client;
  readonly taskQueue: string;
  close(): Promise<void>;
}

/** What both engines' drivers of a suite are given. */
export interface EngineEnvDrivers {
  /** test-only hooks that make the drivers differ */
  readonly testHooks?: DriverTestHooks;
  /** told once per shadow comparison a driver filed */
  readonly onShadowCompared?: (result: 'MATCH' | 'DIFFERENT') => void;
}

/** Starts the Postgres engine loop and a Temporal worker for one suite. */
export async function startEngineEnv(suite: string, db: TestDatabase, stores: RuntimeStores, actions: ActionRegistry, drivers: EngineEnvDrivers = {}): Promise<EngineEnv> {
  const { testHooks, onShadowCompared } = drivers;
  const pgEngine = createPostgresEngine({
    pool: db.pool,
    schema: db.schema,
    actions,
    pollIntervalMs: 200,
    concurrency: 4,
    ...(testHooks ? { testHooks } : {}),
    ...(onShadowCompared ? { onShadowCompared } : {}),
  });
  await pgEngine.startWorker();

  const address = requireEnv('TEMPORAL_ADDRESS');
  const unique = `${suite}-${randomUUID().slice(0, 8)}`;
  const taskQueue = `baton-ingress-test-${unique}`;
  const deployment = { deploymentName: `baton-ingress-test-${unique}`, buildId: 'build-1' };
  const native = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  try {
    worker = await createBatonWorker({
      connection: native,
      taskQueue,
      actions,
      store: stores,
      deployment,
      workflowBundle: await bundleBatonWorkflows(),
      ...(testHooks ? { testHooks } : {}),
      ...(onShadowCompared ? { onShadowCompared } : {}),
    });
    running = worker.run();
    await setCurrentDeploymentVersion(client.workflowService, deployment);
  } catch (err) {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await pgEngine.stopWorker();
    await connection.close();
    await native.close();
    throw err;
  }
  return {
    db: pgEngine,
    temporal: createTemporalEngine({ client, taskQueue }),
    client,
    taskQueue,
    async close() {
      worker!.shutdown();
      await running;
      await pgEngine.stopWorker({ graceMs: 1_000 });
      await connection.close();
      await native.close();
    },
  };
}
