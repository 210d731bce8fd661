import { Worker, type NativeConnection, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import type { ActionRegistry, ActionResultStore, DriverTestHooks, SecretStore } from '@baton/runtime-core';
import { createBatonActivities, type BatonWorkerStores } from '../activities/create-activities.js';
import { BATON_VERSIONING_BEHAVIOR, type BatonDeployment } from './deployment-versioning.js';
import type { AdvanceActivityOptions } from '../activities/advance-activity.js';
import { batonWorkflowsPath, resolveTsSources, type InterpreterMode } from './workflow-bundle.js';

/** Worker options Baton passes through unchanged. */
export type BatonWorkerTuning = Pick<
  WorkerOptions,
  | 'maxConcurrentActivityTaskExecutions'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentLocalActivityExecutions'
  | 'maxCachedWorkflows'
  | 'shutdownGraceTime'
  | 'identity'
>;

/** Options of {@link createBatonWorker}. */
export interface BatonWorkerOptions {
  /** The process's one native connection to Temporal. */
  readonly connection: NativeConnection;
  /** @default 'default' */
  readonly namespace?: string;
  /** @default 'baton' */
  readonly taskQueue?: string;
  /** The actions this worker runs. */
  readonly actions: ActionRegistry;
  /** Definitions to resolve and projections to write (the Postgres stores in production). */
  readonly store: BatonWorkerStores;
  /** Stored action outputs by idempotency key. @default none */
  readonly actionResults?: ActionResultStore;
  /** Where `{"$secret": name}` references resolve from, inside the action activity. @default none */
  readonly secrets?: SecretStore;
  /** Test-only hooks that make this driver differ (shadow comparison tests). @default none */
  readonly testHooks?: DriverTestHooks;
  /** Told once per shadow comparison this worker filed (`baton_shadow_comparisons_total{result}`). @default none */
  readonly onShadowCompared?: (result: 'MATCH' | 'DIFFERENT') => void;
  /**
   * The Worker Deployment Version this worker polls as. Pass `'unversioned'` only for local
   * development: without versioning a new build may replay histories of an older one.
   */
  readonly deployment: BatonDeployment | 'unversioned';
  /**
   * Where the interpreter runs (`BATON_TEMPORAL_INTERPRETER`): in the workflow code, or in a local
   * activity per advance so runs outlive builds. A prebuilt `workflowBundle` must be bundled for the
   * same mode (`bundleBatonWorkflows({ interpreter })`). @default 'workflow'
   */
  readonly interpreter?: InterpreterMode;
  /** `localActivity` mode: the interpreter the local activity runs, and a test hook on its answer. @default runtime-core's advance */
  readonly interpreterActivity?: Pick<AdvanceActivityOptions, 'advance' | 'respond'>;
  /** A prebuilt bundle (see `bundleBatonWorkflows`); bundled at creation when absent. @default undefined */
  readonly workflowBundle?: WorkflowBundle;
  /** Concurrency and identity settings. @default the SDK defaults */
  readonly tuning?: BatonWorkerTuning;
}

/**
 * Creates a Temporal worker that runs Baton runs: the `batonRun` workflow plus the action,
 * projection and definition activities, polling as a Worker Deployment Version (PINNED by
 * default). Run it with `worker.run()`; stop it with `worker.shutdown()`.
 */
export async function createBatonWorker(options: BatonWorkerOptions): Promise<Worker> {
  const activities = createBatonActivities({
    actions: options.actions,
    store: options.store,
    ...(options.actionResults ? { actionResults: options.actionResults } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.testHooks ? { testHooks: options.testHooks } : {}),
    ...(options.onShadowCompared ? { onShadowCompared: options.onShadowCompared } : {}),
    ...(options.interpreterActivity ? { interpreter: options.interpreterActivity } : {}),
  });
  const { deployment } = options;
  return Worker.create({
    ...options.tuning,
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? 'baton',
    activities,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: batonWorkflowsPath(options.interpreter), bundlerOptions: { webpackConfigHook: resolveTsSources } }),
    ...(deployment === 'unversioned'
      ? {}
      : {
          workerDeploymentOptions: {
            version: { deploymentName: deployment.deploymentName, buildId: deployment.buildId },
            useWorkerVersioning: true,
            defaultVersioningBehavior: deployment.defaultBehavior ?? BATON_VERSIONING_BEHAVIOR.PINNED,
          },
        }),
  });
}
