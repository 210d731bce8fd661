import type { Client } from '@temporalio/client';
import type { RunStore } from '@baton/runtime-core';
import { bundleBatonWorkflows, createTemporalDeployments, createTemporalDrain } from '@baton/temporal-adapter';
import type { DeploymentRoutesOptions } from '../routes/deployments.js';

/** What the deployment routes need of a configured Temporal. */
export interface DeploymentWiringOptions {
  readonly client: Client;
  readonly runs: RunStore;
  readonly namespace?: string;
  readonly taskQueue: string;
}

/**
 * `GET /v1/deployments` and `POST /v1/deployments/drain` over the process's Temporal client. A drain
 * replays histories against this process's own Baton workflow bundle (built by webpack on the first
 * drain that has a run to replay, then kept).
 */
export function wireDeployments(options: DeploymentWiringOptions): DeploymentRoutesOptions {
  let bundle: ReturnType<typeof bundleBatonWorkflows> | undefined;
  const workflowBundle = () => {
    bundle ??= bundleBatonWorkflows().catch((error: unknown) => {
      bundle = undefined;
      throw error;
    });
    return bundle;
  };
  const common = { client: options.client, runs: options.runs, ...(options.namespace ? { namespace: options.namespace } : {}) };
  return {
    deployments: createTemporalDeployments({ ...common, taskQueue: options.taskQueue }),
    drain: createTemporalDrain({ ...common, workflowBundle }),
  };
}
