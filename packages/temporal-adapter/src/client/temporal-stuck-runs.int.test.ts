// A PINNED run whose build no worker polls any more is stuck (DEPLOYMENT_VERSION_NOT_POLLED); a run
// pinned to a build that still polls is not.
import { afterAll, describe, expect, it } from 'vitest';
import { decodeVersioningBehavior } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import { startTemporalTestEnv, TENANT, waitFor, type TemporalTestEnv } from '../__fixtures__/temporal-test-env.js';
import { createBatonWorker } from '../worker/create-baton-worker.js';
import { setRampingDeploymentVersion, type BatonDeployment } from '../worker/deployment-versioning.js';
import { workflowIdForRun } from '../workflows/workflow-messages.js';
import { createTemporalStuckRuns } from './temporal-stuck-runs.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const waiting = {
  name: 'stuck.wait',
  version: '1.0.0',
  steps: [
    { id: 'hold', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' } },
    { id: 'done', type: 'control.return', output: 'done' },
  ],
};

async function startWaitingRun(env: TemporalTestEnv, key: string): Promise<string> {
  const { runId } = await env.runtime.startRun(TENANT, { workflow: waiting.name, input: { key } });
  await waitFor('the wait to open', async () => (await env.stores.waits.listForRun(TENANT, runId, { status: 'WAITING' }))[0], 90_000);
  return runId;
}

async function buildOf(env: TemporalTestEnv, runId: string): Promise<{ behavior: unknown; buildId: unknown }> {
  return waitFor('the run versioning info', async () => {
    const info = (await env.client.workflow.getHandle(workflowIdForRun(runId)).describe()).raw.workflowExecutionInfo?.versioningInfo;
    const behavior = decodeVersioningBehavior(info?.behavior);
    return behavior ? { behavior, buildId: info?.deploymentVersion?.buildId } : undefined;
  });
}

describe('createTemporalStuckRuns', () => {
  it('lists a run pinned to a build no worker polls, not one pinned to a live build', { timeout: 300_000 }, async () => {
    const env = await startTemporalTestEnv('stuck', { tuning: { identity: 'stuck-build-1' } });
    cleanups.push(() => env.close());
    await env.publish(waiting);
    const onLive = await startWaitingRun(env, 'live');
    expect(await buildOf(env, onLive)).toEqual({ behavior: 'PINNED', buildId: 'build-1' });

    // A second build takes every new run (100 % ramp), then stops: its runs stay pinned to it.
    const deployment: BatonDeployment = { ...env.deployment, buildId: 'build-2' };
    const second: Worker = await createBatonWorker({
      connection: env.native,
      taskQueue: env.taskQueue,
      actions: env.actions,
      store: env.stores,
      deployment,
      workflowBundle: env.bundle,
      tuning: { identity: 'stuck-build-2' },
    });
    const secondRunning = second.run();
    cleanups.push(async () => {
      if (second.getState() === 'RUNNING') second.shutdown();
      await secondRunning;
    });
    await setRampingDeploymentVersion(env.client.workflowService, deployment, 100, { waitMs: 120_000 });
    const onGone = await startWaitingRun(env, 'gone');
    expect(await buildOf(env, onGone)).toEqual({ behavior: 'PINNED', buildId: 'build-2' });

    const judge = (pollerStaleMs: number) => createTemporalStuckRuns({ client: env.client, runs: env.stores.runs, pollerStaleMs });
    // Both builds poll: nothing is stuck.
    expect(await judge(90_000).listStuck(TENANT, { limit: 50 })).toEqual({ items: [], nextCursor: null });

    second.shutdown();
    await secondRunning;
    // The server keeps listing a stopped worker's pollers for minutes; their last poll ages.
    const stuck = await waitFor(
      'the stopped build to count as not polled',
      async () => {
        const page = await judge(10_000).listStuck(TENANT, { limit: 50 });
        return page.items.some((s) => s.run.runId === onGone) ? page : undefined;
      },
      120_000,
    );
    expect(stuck.items.find((s) => s.run.runId === onGone)).toEqual({
      run: expect.objectContaining({ runId: onGone, engine: 'temporal', workflow: waiting.name }),
      reason: {
        code: 'DEPLOYMENT_VERSION_NOT_POLLED',
        message: expect.stringContaining('build-2'),
        deploymentName: env.deployment.deploymentName,
        buildId: 'build-2',
        taskQueue: env.taskQueue,
      },
    });
    // Build 1 still polls (within a long-poll interval): its run is not stuck; another tenant sees nothing.
    const page = await judge(90_000).listStuck(TENANT, { limit: 50 });
    expect(page.items.map((s) => s.run.runId)).not.toContain(onLive);
    expect(await judge(10_000).listStuck('tenant-other', { limit: 50 })).toEqual({ items: [], nextCursor: null });
  });
});
