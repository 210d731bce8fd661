import { afterAll, describe, expect, it } from 'vitest';
import { decodeVersioningBehavior } from '@temporalio/common';
import { createRunRef } from '@baton/runtime-core';
import { resultOf, startTemporalTestEnv, startWorkerBuild, TENANT, waitFor, type TemporalTestEnv, type WorkerBuild } from '../__fixtures__/temporal-test-env.js';
import { workflowIdForRun } from '../workflows/workflow-messages.js';
import { setCurrentDeploymentVersion, setRampingDeploymentVersion, type BatonDeployment } from './deployment-versioning.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const waiting = {
  name: 'versioned.wait',
  version: '1.0.0',
  steps: [
    { id: 'hold', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' } },
    { id: 'done', type: 'control.return', output: 'done' },
  ],
};

async function startEnv(name: string, defaultBehavior: BatonDeployment['defaultBehavior']): Promise<TemporalTestEnv> {
  const env = await startTemporalTestEnv(name, { defaultBehavior, tuning: { identity: `${name}-build-1` } });
  cleanups.push(() => env.close());
  await env.publish(waiting);
  return env;
}

/** A second build of the worker on the same task queue and deployment. */
async function startBuild(env: TemporalTestEnv, buildId: string): Promise<WorkerBuild> {
  const build = await startWorkerBuild(env, buildId);
  cleanups.push(() => build.stop());
  return build;
}

async function startWaitingRun(env: TemporalTestEnv, key: string): Promise<string> {
  const { runId } = await env.runtime.startRun(TENANT, { workflow: 'versioned.wait', input: { key } });
  await waitFor('the wait to open', async () => (await env.stores.waits.listForRun(TENANT, runId, { status: 'WAITING' }))[0]);
  return runId;
}

/** The versioning of a run, once its first workflow task completed (the projection is written within that task). */
async function buildOf(env: TemporalTestEnv, runId: string): Promise<{ behavior: unknown; buildId: unknown }> {
  return waitFor('the run versioning info', async () => {
    const described = await env.client.workflow.getHandle(workflowIdForRun(runId)).describe();
    const info = described.raw.workflowExecutionInfo?.versioningInfo;
    const behavior = decodeVersioningBehavior(info?.behavior);
    return behavior ? { behavior, buildId: info?.deploymentVersion?.buildId } : undefined;
  });
}

/** Identity of the worker that completed the run's last workflow task. */
async function lastWorkerOf(env: TemporalTestEnv, runId: string): Promise<string | null | undefined> {
  const history = await env.client.workflow.getHandle(workflowIdForRun(runId)).fetchHistory();
  const completed = (history.events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes);
  return completed.at(-1)?.workflowTaskCompletedEventAttributes?.identity;
}

async function finish(env: TemporalTestEnv, runId: string, key: string): Promise<void> {
  await env.engine.deliverEvent(createRunRef('temporal', TENANT, runId), { eventId: `go-${runId}`, eventName: 'GO', correlationKey: key, payload: null });
  await expect(resultOf(env, runId)).resolves.toBe('done');
}

describe('createBatonWorker with Worker Deployment Versioning', () => {
  // Routing changes propagate asynchronously; on a loaded machine that takes a while.
  it('PINNED (default): a run finishes on the build it started on, after a ramp and a new current version', { timeout: 240_000 }, async () => {
    const env = await startEnv('pinned', undefined);
    const onFirst = await startWaitingRun(env, 'p-1');
    expect(await buildOf(env, onFirst)).toEqual({ behavior: 'PINNED', buildId: 'build-1' });

    const second = await startBuild(env, 'build-2');
    // Rollout step 1: ramp the new build; at 100 % every new run starts on it.
    await setRampingDeploymentVersion(env.client.workflowService, second.deployment, 100, { waitMs: 90_000 });
    const ramped = await startWaitingRun(env, 'p-2');
    expect(await buildOf(env, ramped)).toEqual({ behavior: 'PINNED', buildId: 'build-2' });
    // Rollout step 2: make it current.
    await setCurrentDeploymentVersion(env.client.workflowService, second.deployment, { waitMs: 90_000 });

    await finish(env, onFirst, 'p-1');
    await finish(env, ramped, 'p-2');
    expect(await lastWorkerOf(env, onFirst)).toBe('pinned-build-1');
    expect(await lastWorkerOf(env, ramped)).toBe(`${env.deployment.deploymentName}-build-2`);
  });

  it('AUTO_UPGRADE: a waiting run moves to the new current build at its next workflow task', { timeout: 240_000 }, async () => {
    const env = await startEnv('upgrade', 'AUTO_UPGRADE');
    const runId = await startWaitingRun(env, 'u-1');
    expect(await buildOf(env, runId)).toMatchObject({ behavior: 'AUTO_UPGRADE' });
    const second = await startBuild(env, 'build-2');
    await setCurrentDeploymentVersion(env.client.workflowService, second.deployment, { waitMs: 90_000 });
    await finish(env, runId, 'u-1');
    expect(await lastWorkerOf(env, runId)).toBe(`${env.deployment.deploymentName}-build-2`);
  });
});
