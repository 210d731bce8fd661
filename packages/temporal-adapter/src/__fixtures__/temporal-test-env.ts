// A real Temporal worker and client on the harness's dev server, with runtime-core's
// in-memory ports and run service wired to the Temporal engine. One per test file, on its own
// task queue and Worker Deployment (test files run in parallel).
import { Client, Connection } from '@temporalio/client';
import type { JsonValue } from '@baton/event-schemas';
import { NativeConnection, type Worker, type WorkflowBundle } from '@temporalio/worker';
import {
  createActionRegistry,
  createInMemoryStores,
  createRuntime,
  validateDefinition,
  type ActionRegistry,
  type ActionResultStore,
  type AnyActionDefinition,
  type Runtime,
  type RuntimeStores,
} from '@baton/runtime-core';
import { createTemporalEngine, type TemporalEngine } from '../client/temporal-engine.js';
import { createBatonWorker, type BatonWorkerOptions, type BatonWorkerTuning } from '../worker/create-baton-worker.js';
import { batonWorkflowsPath, type InterpreterMode } from '../worker/workflow-bundle.js';
import { setCurrentDeploymentVersion, type BatonDeployment } from '../worker/deployment-versioning.js';
import { cachedBatonBundle } from './cached-bundle.js';
import type { BatonRunSettings } from '../workflows/run-args.js';
import { workflowIdForRun } from '../workflows/workflow-messages.js';
import { historyToJson } from '../replay/history-json.js';

export const TENANT = 'tenant-a';

/** A worker, client, engine and run service on one task queue. */
export interface TemporalTestEnv {
  readonly address: string;
  readonly taskQueue: string;
  readonly deployment: BatonDeployment;
  readonly client: Client;
  readonly native: NativeConnection;
  readonly stores: RuntimeStores;
  readonly actions: ActionRegistry;
  readonly engine: TemporalEngine;
  readonly runtime: Runtime;
  readonly worker: Worker;
  readonly bundle: WorkflowBundle;
  /** Publishes definitions (throws on invalid ones). */
  publish(...definitions: unknown[]): Promise<void>;
  /** Stops the env's worker (the client and connections stay, for a worker of another build). */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startTemporalTestEnv}. */
export interface TemporalTestEnvOptions {
  readonly actions?: readonly AnyActionDefinition[];
  readonly settings?: BatonRunSettings;
  readonly bundle?: WorkflowBundle;
  readonly tuning?: BatonWorkerTuning;
  /** How the worker's runs move between builds. @default 'PINNED' */
  readonly defaultBehavior?: BatonDeployment['defaultBehavior'];
  /** Where the worker runs the interpreter (the bundle of that mode unless `bundle` is given). @default 'workflow' */
  readonly interpreter?: InterpreterMode;
  /** `localActivity` mode: the interpreter activity's advance and response hook. */
  readonly interpreterActivity?: BatonWorkerOptions['interpreterActivity'];
}

let sequence = 0;

/** Stored action outputs by idempotency key, in memory (production wires a durable store). */
export function createInMemoryActionResults(): ActionResultStore {
  const outputs = new Map<string, JsonValue>();
  return {
    get: async (key) => outputs.get(key),
    put: async (key, output) => void outputs.set(key, output),
  };
}

/** Starts a versioned Baton worker (made current) and the run service for one test file. */
export async function startTemporalTestEnv(name: string, options: TemporalTestEnvOptions = {}): Promise<TemporalTestEnv> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: the vitest global setup starts the dev server');
  sequence += 1;
  const unique = `${name}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
  const taskQueue = `baton-test-${unique}`;
  const deployment: BatonDeployment = {
    deploymentName: `baton-test-${unique}`,
    buildId: 'build-1',
    ...(options.defaultBehavior ? { defaultBehavior: options.defaultBehavior } : {}),
  };
  const stores = createInMemoryStores();
  const actions = createActionRegistry({ enableTestActions: true, actions: options.actions ?? [] });
  // BATON_TEST_INTERPRETER runs a test file's envs in the other mode (ad hoc checks; CI runs the defaults).
  const interpreter = options.interpreter ?? (process.env['BATON_TEST_INTERPRETER'] === 'localActivity' ? 'localActivity' : 'workflow');
  const bundle = options.bundle ?? (await cachedBatonBundle(interpreter === 'workflow' ? undefined : batonWorkflowsPath(interpreter)));
  const native = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const worker = await createBatonWorker({
    connection: native,
    taskQueue,
    actions,
    store: stores,
    deployment,
    workflowBundle: bundle,
    actionResults: createInMemoryActionResults(),
    interpreter,
    ...(options.interpreterActivity ? { interpreterActivity: options.interpreterActivity } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
  });
  const running = worker.run();
  // A brand-new deployment has no runs to move: tasks wait in the queue until routing arrives.
  await setCurrentDeploymentVersion(client.workflowService, deployment, { waitForPropagation: false });
  const engine = createTemporalEngine({ client, taskQueue, ...(options.settings ? { settings: options.settings } : {}) });
  const runtime = createRuntime({
    engines: { temporal: engine },
    ...stores,
    validateDefinition: (json) => validateDefinition(json, { actions }),
    defaultEngine: 'temporal',
  });
  return {
    address,
    taskQueue,
    deployment,
    client,
    native,
    stores,
    actions,
    engine,
    runtime,
    worker,
    bundle,
    async publish(...definitions) {
      for (const definition of definitions) await runtime.publishDefinition(TENANT, definition);
    },
    async stopWorker() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
    async close() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await native.close();
    },
  };
}

/** Polls `probe` until it returns a value other than `undefined` (or throws after `timeoutMs`). */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The result of a run's workflow (following continue-as-new). */
export function resultOf(env: TemporalTestEnv, runId: string): Promise<unknown> {
  return env.client.workflow.getHandle(workflowIdForRun(runId)).result();
}

/** The event types of one Temporal run's history (the latest run of the chain by default). */
export async function historyEventTypes(env: TemporalTestEnv, runId: string, temporalRunId?: string): Promise<string[]> {
  const history = await env.client.workflow.getHandle(workflowIdForRun(runId), temporalRunId).fetchHistory();
  const json = historyToJson(history) as { events: { eventType: string }[] };
  return json.events.map((event) => event.eventType.replace(/^EVENT_TYPE_/, ''));
}

/** Another build of the env's worker: same task queue and deployment, `buildId`, and `bundle` (default: the env's). */
export interface WorkerBuild {
  readonly deployment: BatonDeployment;
  readonly worker: Worker;
  readonly running: Promise<void>;
  /** Shuts the worker down (if it still runs) and waits for it. */
  stop(): Promise<void>;
}

/** Starts another build of the env's worker on its task queue and deployment (Worker Deployment Versioning tests). */
export async function startWorkerBuild(env: TemporalTestEnv, buildId: string, bundle: WorkflowBundle = env.bundle): Promise<WorkerBuild> {
  const deployment: BatonDeployment = { ...env.deployment, buildId };
  const worker = await createBatonWorker({
    connection: env.native,
    taskQueue: env.taskQueue,
    actions: env.actions,
    store: env.stores,
    deployment,
    workflowBundle: bundle,
    tuning: { identity: `${env.deployment.deploymentName}-${buildId}` },
  });
  const running = worker.run();
  return {
    deployment,
    worker,
    running,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
