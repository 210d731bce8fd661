import type { Client } from '@temporalio/client';
import type { RunStore } from '@baton/runtime-core';
import { bundleBatonWorkflows, createTemporalDeployments, createTemporalDrain, type InterpreterMode } from '@baton/temporal-adapter';
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
 * replays histories against this process's own Baton workflow bundle of the interpreter placement
 * that recorded each history (built by webpack on the first drain that needs it, then kept).
 */
export function wireDeployments(options: DeploymentWiringOptions): DeploymentRoutesOptions {
  const bundles = new Map<InterpreterMode, ReturnType<typeof bundleBatonWorkflows>>();
  const workflowBundle = (interpreter: InterpreterMode) => {
    let bundle = bundles.get(interpreter);
    if (!bundle) {
      bundle = bundleBatonWorkflows({ interpreter }).catch((error: unknown) => {
        bundles.delete(interpreter);
        throw error;
      });
      bundles.set(interpreter, bundle);
    }
    return bundle;
  };
  const common = { client: options.client, runs: options.runs, ...(options.namespace ? { namespace: options.namespace } : {}) };
  return {
    deployments: createTemporalDeployments({ ...common, taskQueue: options.taskQueue }),
    drain: createTemporalDrain({ ...common, workflowBundle }),
  };
}
