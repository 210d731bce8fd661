// Stuck Temporal runs: a PINNED run whose worker deployment version no live worker polls never gets
// another workflow task. Temporal tells the run's pinned version (describe) and who polls its task
// queue (describeTaskQueue: each poller's deployment version and last poll time).
import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import { invalidCursorError, type RunStore, type StuckRun, type StuckRunSource } from '@baton/runtime-core';
import { describeRunPin, mapLimited, temporalUnavailable, unfinishedTemporalRuns, type RunPin } from '../drain/run-deployment-version.js';

/** Options of {@link createTemporalStuckRuns}. */
export interface TemporalStuckRunsOptions {
  readonly client: Pick<Client, 'workflow' | 'workflowService'>;
  /** the run projections, to find a tenant's unfinished Temporal runs */
  readonly runs: RunStore;
  /** @default 'default' */
  readonly namespace?: string;
  /**
   * A poller whose last poll is older than this is gone. The server lists a stopped worker's pollers
   * for a while (`matching.PollerHistoryTTL`, 5 min); a live idle worker re-polls at least every
   * long-poll timeout (about a minute). @default 120_000
   */
  readonly pollerStaleMs?: number;
  /** how many of a tenant's newest unfinished Temporal runs one call judges (each costs a describe) @default 200 */
  readonly batch?: number;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** `TASK_QUEUE_TYPE_WORKFLOW`, `TASK_QUEUE_KIND_NORMAL` of the server API. */
const WORKFLOW_TASK_QUEUE = 1;
const NORMAL_KIND = 1;
/** describes in flight at once */
const CONCURRENCY = 8;

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(cursor);
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) return parsed as [string, string];
  } catch {
    // fall through to the typed error
  }
  throw invalidCursorError('cursor is not a stuck-runs cursor', 'not a stuck-runs cursor');
}

/**
 * {@link StuckRunSource} of the Temporal engine: among a tenant's newest `batch` unfinished
 * Temporal runs, those PINNED (by their versioning behaviour or a pinned override) to a worker
 * deployment version with no live poller on the run's task queue answer
 * `DEPLOYMENT_VERSION_NOT_POLLED`. Newest first; bounded by `batch`, paged within it.
 */
export function createTemporalStuckRuns(options: TemporalStuckRunsOptions): StuckRunSource {
  const namespace = options.namespace ?? 'default';
  const staleMs = options.pollerStaleMs ?? 120_000;
  const batch = Math.max(1, options.batch ?? 200);
  const clock = options.clock ?? (() => new Date());

  async function pinnedVersionOf(runId: string): Promise<RunPin | undefined> {
    const pin = await describeRunPin(options.client, runId);
    return pin.kind === 'PINNED' ? pin : undefined;
  }

  /** `deploymentName\0buildId` of every version with a poller seen within `staleMs` on `taskQueue`. */
  async function livePollers(taskQueue: string, now: number): Promise<Set<string>> {
    const answer = await options.client.workflowService
      .describeTaskQueue({ namespace, taskQueue: { name: taskQueue, kind: NORMAL_KIND }, taskQueueType: WORKFLOW_TASK_QUEUE })
      .catch((error: unknown) => {
        throw temporalUnavailable('which workers poll a task queue', error);
      });
    const live = new Set<string>();
    for (const poller of answer.pollers ?? []) {
      const seen = optionalTsToMs(poller.lastAccessTime);
      const version = poller.deploymentOptions;
      if (seen === undefined || now - seen > staleMs || !version?.buildId) continue;
      live.add(`${version.deploymentName ?? ''}\0${version.buildId}`);
    }
    return live;
  }

  return {
    engine: 'temporal',
    async listStuck(tenant, q) {
      let runs = await unfinishedTemporalRuns(options.runs, tenant, batch, q.workflow);
      if (q.cursor !== undefined) {
        const [createdAt, runId] = decodeCursor(q.cursor);
        runs = runs.filter((r) => r.createdAt < createdAt || (r.createdAt === createdAt && r.runId < runId));
      }
      const pinned = await mapLimited(runs, CONCURRENCY, (run) => pinnedVersionOf(run.runId));
      const now = clock().getTime();
      const pollers = new Map<string, Promise<Set<string>>>();
      const found: StuckRun[] = [];
      for (const [i, run] of runs.entries()) {
        const version = pinned[i];
        if (!version) continue;
        let live = pollers.get(version.taskQueue);
        if (!live) pollers.set(version.taskQueue, (live = livePollers(version.taskQueue, now)));
        if ((await live).has(`${version.deploymentName}\0${version.buildId}`)) continue;
        found.push({
          run,
          reason: {
            code: 'DEPLOYMENT_VERSION_NOT_POLLED',
            message: `pinned to worker deployment version ${version.deploymentName}:${version.buildId}, which no live worker polls on task queue ${version.taskQueue}`,
            deploymentName: version.deploymentName,
            buildId: version.buildId,
            taskQueue: version.taskQueue,
          },
        });
      }
      const limit = Math.max(1, q.limit);
      const items = found.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: found.length > limit && last ? JSON.stringify([last.run.createdAt, last.run.runId]) : null };
    },
  };
}
