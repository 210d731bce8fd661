import type { WorkflowService } from '@temporalio/client';
import type { VersioningBehavior } from '@temporalio/common';

/** Versioning behaviours a Baton worker may declare for its workflows. */
export const BATON_VERSIONING_BEHAVIOR = { PINNED: 'PINNED', AUTO_UPGRADE: 'AUTO_UPGRADE' } as const satisfies Record<
  VersioningBehavior,
  VersioningBehavior
>;
export type BatonVersioningBehavior = (typeof BATON_VERSIONING_BEHAVIOR)[keyof typeof BATON_VERSIONING_BEHAVIOR];

/** The Worker Deployment Version a worker polls as. */
export interface BatonDeployment {
  /** Worker Deployment name, stable across releases (e.g. `baton-worker`). */
  readonly deploymentName: string;
  /** Build id of this release of the worker code (e.g. a git sha or the package version). */
  readonly buildId: string;
  /**
   * How runs started on this version move between versions: PINNED runs stay on the build they
   * started on (a new interpreter never replays an old history); AUTO_UPGRADE runs move to the
   * current version at their next workflow task.
   * @default 'PINNED'
   */
  readonly defaultBehavior?: BatonVersioningBehavior;
}

/** The subset of a client's gRPC service the deployment helpers use (a `Client`'s `workflowService`). */
export type DeploymentService = Pick<
  WorkflowService,
  'setWorkerDeploymentCurrentVersion' | 'setWorkerDeploymentRampingVersion' | 'describeWorkerDeployment'
>;

/** Options of {@link setCurrentDeploymentVersion} and {@link setRampingDeploymentVersion}. */
export interface DeploymentChangeOptions {
  /** Temporal namespace. @default 'default' */
  readonly namespace?: string;
  /**
   * How long to retry while the server does not know the version yet (its workers have not polled).
   * @default 30_000
   */
  readonly waitMs?: number;
  /** Identity recorded with the change. @default 'baton' */
  readonly identity?: string;
  /**
   * Return only once the server reports the new routing propagated to every task queue of the
   * deployment (before that, some tasks may still go to the previous version).
   * @default true
   */
  readonly waitForPropagation?: boolean;
}

/** gRPC NOT_FOUND and FAILED_PRECONDITION: the server has not seen the version's pollers yet. */
const NOT_YET_KNOWN_CODES: ReadonlySet<number> = new Set([5, 9]);
const NOT_YET_POLLED = /not[ _]found|no worker deployment|pollers|not registered|not yet/i;

function notYetKnown(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && NOT_YET_KNOWN_CODES.has(code)) return true;
  return NOT_YET_POLLED.test(error instanceof Error ? error.message : String(error));
}
const RETRY_DELAY_MS = 200;

async function retryUntilKnown<T>(waitMs: number, call: () => Promise<T>): Promise<T> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!notYetKnown(error) || performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}

/** `RoutingConfigUpdateState` values of the server API. */
const ROUTING_UPDATE = { UNSPECIFIED: 0, IN_PROGRESS: 1 } as const;

async function awaitPropagation(service: DeploymentService, deploymentName: string, options: DeploymentChangeOptions): Promise<void> {
  if (options.waitForPropagation === false) return;
  const deadline = performance.now() + (options.waitMs ?? 30_000);
  for (;;) {
    const { workerDeploymentInfo } = await service.describeWorkerDeployment({ namespace: options.namespace ?? 'default', deploymentName });
    const state = Number(workerDeploymentInfo?.routingConfigUpdateState ?? ROUTING_UPDATE.UNSPECIFIED);
    // UNSPECIFIED: a server that does not report propagation; nothing to wait for.
    if (state !== ROUTING_UPDATE.IN_PROGRESS) return;
    if (performance.now() > deadline) throw new Error(`the routing change of deployment ${deploymentName} did not propagate in time`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
  }
}

/**
 * Makes `version` the current version of its deployment (what `temporal worker deployment
 * set-current-version` does), retrying until the version's workers have registered by polling.
 */
export async function setCurrentDeploymentVersion(
  service: DeploymentService,
  version: Pick<BatonDeployment, 'deploymentName' | 'buildId'>,
  options: DeploymentChangeOptions = {},
): Promise<void> {
  await retryUntilKnown(options.waitMs ?? 30_000, () =>
    service.setWorkerDeploymentCurrentVersion({
      namespace: options.namespace ?? 'default',
      deploymentName: version.deploymentName,
      buildId: version.buildId,
      identity: options.identity ?? 'baton',
    }),
  );
  await awaitPropagation(service, version.deploymentName, options);
}

/**
 * Ramps `percentage` of new runs to `version` (what `temporal worker deployment
 * set-ramping-version` does); `percentage` 0 with an empty build id clears the ramp.
 */
export async function setRampingDeploymentVersion(
  service: DeploymentService,
  version: Pick<BatonDeployment, 'deploymentName' | 'buildId'>,
  percentage: number,
  options: DeploymentChangeOptions = {},
): Promise<void> {
  await retryUntilKnown(options.waitMs ?? 30_000, () =>
    service.setWorkerDeploymentRampingVersion({
      namespace: options.namespace ?? 'default',
      deploymentName: version.deploymentName,
      buildId: version.buildId,
      percentage,
      identity: options.identity ?? 'baton',
    }),
  );
  await awaitPropagation(service, version.deploymentName, options);
}
