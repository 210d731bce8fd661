// GET /v1/deployments: each Temporal worker deployment version with its routing, Temporal's drainage
// status, its live pollers on Baton's task queue, and how many of the caller's runs are pinned to it.
import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import type { DeploymentVersionView, ListDeploymentsResponse } from '@baton/event-schemas';
import type { RunStore } from '@baton/runtime-core';
import { describeRunPin, mapLimited, temporalUnavailable, unfinishedTemporalRuns, versionKey } from './run-deployment-version.js';

/** Options of {@link createTemporalDeployments}. */
export interface TemporalDeploymentsOptions {
  readonly client: Pick<Client, 'workflow' | 'workflowService'>;
  /** the run projections, to find a tenant's unfinished Temporal runs */
  readonly runs: RunStore;
  /** the task queue whose pollers are counted @default 'baton' */
  readonly taskQueue?: string;
  /** @default 'default' */
  readonly namespace?: string;
  /** a poller not seen for this long is gone (see `createTemporalStuckRuns`) @default 120_000 */
  readonly pollerStaleMs?: number;
  /** how many of a tenant's newest unfinished Temporal runs are described to count runs per version @default 500 */
  readonly batch?: number;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** The deployment listing of one process. */
export interface TemporalDeployments {
  list(tenant: string): Promise<ListDeploymentsResponse>;
}

/** `WorkerDeploymentVersionStatus` and `VersionDrainageStatus` of the server API, by number. */
const VERSION_STATUS = ['UNSPECIFIED', 'INACTIVE', 'CURRENT', 'RAMPING', 'DRAINING', 'DRAINED'] as const;
const DRAINAGE = [null, 'DRAINING', 'DRAINED'] as const;
const WORKFLOW_TASK_QUEUE = 1;
const NORMAL_KIND = 1;
const CONCURRENCY = 8;

const isoOf = (ts: Parameters<typeof optionalTsToMs>[0]): string | null => {
  const ms = optionalTsToMs(ts);
  return ms === undefined ? null : new Date(ms).toISOString();
};

/** Lists every worker deployment of the namespace with its versions (Temporal's `describeWorkerDeployment`). */
export function createTemporalDeployments(options: TemporalDeploymentsOptions): TemporalDeployments {
  const namespace = options.namespace ?? 'default';
  const taskQueue = options.taskQueue ?? 'baton';
  const staleMs = options.pollerStaleMs ?? 120_000;
  const batch = Math.max(1, options.batch ?? 500);
  const clock = options.clock ?? (() => new Date());
  const service = options.client.workflowService;

  async function deploymentNames(): Promise<string[]> {
    const names: string[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await service.listWorkerDeployments({ namespace, pageSize: 100, ...(nextPageToken ? { nextPageToken } : {}) });
      for (const d of page.workerDeployments ?? []) if (d.name) names.push(d.name);
      nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return names.sort();
  }

  async function livePollers(now: number): Promise<Map<string, number>> {
    const answer = await service.describeTaskQueue({ namespace, taskQueue: { name: taskQueue, kind: NORMAL_KIND }, taskQueueType: WORKFLOW_TASK_QUEUE });
    const live = new Map<string, number>();
    for (const poller of answer.pollers ?? []) {
      const seen = optionalTsToMs(poller.lastAccessTime);
      const version = poller.deploymentOptions;
      if (seen === undefined || now - seen > staleMs || !version?.buildId) continue;
      const key = versionKey({ deploymentName: version.deploymentName ?? '', buildId: version.buildId });
      live.set(key, (live.get(key) ?? 0) + 1);
    }
    return live;
  }

  return {
    async list(tenant) {
      let versions: Omit<DeploymentVersionView, 'pollers' | 'runs'>[];
      let pollers: Map<string, number>;
      try {
        const names = await deploymentNames();
        const described = await mapLimited(names, CONCURRENCY, (deploymentName) => service.describeWorkerDeployment({ namespace, deploymentName }));
        versions = described.flatMap(({ workerDeploymentInfo: info }, i) => {
          const routing = info?.routingConfig;
          const current = routing?.currentDeploymentVersion?.buildId ?? null;
          const ramping = routing?.rampingDeploymentVersion?.buildId ?? null;
          return (info?.versionSummaries ?? []).map((summary) => {
            const buildId = summary.deploymentVersion?.buildId ?? '';
            return {
              deploymentName: summary.deploymentVersion?.deploymentName ?? names[i]!,
              buildId,
              current: current === buildId,
              ramping: ramping === buildId,
              rampingPercent: ramping === buildId ? (routing?.rampingVersionPercentage ?? null) : null,
              status: VERSION_STATUS[Number(summary.status ?? 0)] ?? 'UNSPECIFIED',
              drainage: DRAINAGE[Number(summary.drainageStatus ?? 0)] ?? null,
              createdAt: isoOf(summary.createTime),
            };
          });
        });
        pollers = await livePollers(clock().getTime());
      } catch (error) {
        throw temporalUnavailable('for its worker deployments', error);
      }
      const runs = await unfinishedTemporalRuns(options.runs, tenant, batch);
      const pins = await mapLimited(runs, CONCURRENCY, (run) => describeRunPin(options.client, run.runId));
      const pinnedRuns = new Map<string, number>();
      for (const pin of pins) if (pin.kind === 'PINNED') pinnedRuns.set(versionKey(pin), (pinnedRuns.get(versionKey(pin)) ?? 0) + 1);
      const items = versions
        .map((v) => ({ ...v, pollers: pollers.get(versionKey(v)) ?? 0, runs: pinnedRuns.get(versionKey(v)) ?? 0 }))
        .sort((a, b) => (a.deploymentName !== b.deploymentName ? (a.deploymentName < b.deploymentName ? -1 : 1) : (a.createdAt ?? '') < (b.createdAt ?? '') ? 1 : -1));
      return { items, runsJudged: runs.length };
    },
  };
}
