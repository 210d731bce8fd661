// Drain on the Temporal dev server: runs pinned to a stopped build (2) move to the current build (3)
// only when their own history replays on build 3's workflow code; the moved run finishes on build 3,
// the refused one stays pinned where it was. The deployment listing shows both builds.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeVersioningBehavior } from '@temporalio/common';
import { createRunRef } from '@baton/runtime-core';
import { cachedBatonBundle } from '../__fixtures__/cached-bundle.js';
import { resultOf, startTemporalTestEnv, startWorkerBuild, TENANT, waitFor, type TemporalTestEnv, type WorkerBuild } from '../__fixtures__/temporal-test-env.js';
import { setCurrentDeploymentVersion, setRampingDeploymentVersion } from '../worker/deployment-versioning.js';
import { workflowIdForRun } from '../workflows/workflow-messages.js';
import { createTemporalDrain } from './drain-runs.js';
import { createTemporalDeployments } from './temporal-deployments.js';

const targetWorkflows = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../__fixtures__/drain-target-workflow/index.ts');

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const waiting = (name: string) => ({
  name,
  version: '1.0.0',
  steps: [
    { id: 'hold', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.go' },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.go.payload' } },
  ],
});

async function startWaitingRun(env: TemporalTestEnv, workflow: string, key: string): Promise<string> {
  const { runId } = await env.runtime.startRun(TENANT, { workflow, input: { key } });
  await waitFor('the wait to open', async () => (await env.stores.waits.listForRun(TENANT, runId, { status: 'WAITING' }))[0], 90_000);
  return runId;
}

/** The versioning info once the run's first workflow task completed (its wait opens inside that task, before it completes). */
async function settledVersioningOf(env: TemporalTestEnv, runId: string) {
  return waitFor('the run versioning info', async () => {
    const info = await versioningOf(env, runId);
    return info.behavior ? info : undefined;
  });
}

async function versioningOf(env: TemporalTestEnv, runId: string) {
  const info = (await env.client.workflow.getHandle(workflowIdForRun(runId)).describe()).raw.workflowExecutionInfo?.versioningInfo;
  return {
    behavior: decodeVersioningBehavior(info?.behavior),
    buildId: info?.deploymentVersion?.buildId,
    overrideBuildId: info?.versioningOverride?.pinned?.version?.buildId ?? null,
  };
}

async function startBuild(env: TemporalTestEnv, buildId: string, bundle: TemporalTestEnv['bundle']): Promise<WorkerBuild> {
  const build = await startWorkerBuild(env, buildId, bundle);
  cleanups.push(() => build.stop());
  return build;
}

describe('createTemporalDrain', () => {
  it('moves a run off a stopped build only after its history replays on the current build; the refused run stays', { timeout: 300_000 }, async () => {
    const [env, targetBundle] = await Promise.all([startTemporalTestEnv('drain'), cachedBatonBundle(targetWorkflows)]);
    cleanups.push(() => env.close());
    await env.publish(waiting('drain.compatible'), waiting('drain.incompatible'));

    // Build 2 takes every new run, then its ramp is dropped and its workers stop: its runs stay pinned to it.
    const build2 = await startBuild(env, 'build-2', env.bundle);
    await setRampingDeploymentVersion(env.client.workflowService, build2.deployment, 100, { waitMs: 120_000 });
    const compatible = await startWaitingRun(env, 'drain.compatible', 'c-1');
    const incompatible = await startWaitingRun(env, 'drain.incompatible', 'i-1');
    expect(await settledVersioningOf(env, compatible)).toEqual({ behavior: 'PINNED', buildId: 'build-2', overrideBuildId: null });
    expect(await settledVersioningOf(env, incompatible)).toEqual({ behavior: 'PINNED', buildId: 'build-2', overrideBuildId: null });
    // Routing changes from here on need not wait for propagation: the drain pins runs by override.
    await setRampingDeploymentVersion(env.client.workflowService, { ...build2.deployment, buildId: '' }, 0, { waitMs: 120_000, waitForPropagation: false });
    build2.worker.shutdown();
    await build2.running;

    // Build 3 runs the newer workflow code and becomes current.
    const build3 = await startBuild(env, 'build-3', targetBundle);
    await setCurrentDeploymentVersion(env.client.workflowService, build3.deployment, { waitMs: 120_000, waitForPropagation: false });

    const drain = createTemporalDrain({ client: env.client, runs: env.stores.runs, workflowBundle: async () => targetBundle });
    const to = { deploymentName: env.deployment.deploymentName, buildId: 'build-3' };
    const from = { deploymentName: env.deployment.deploymentName, buildId: 'build-2' };
    const expectedRefusal = { runId: incompatible, reason: 'REPLAY_FAILED', message: expect.stringMatching(/non-determinism|nondetermin/i) };

    const dry = await drain.drain(TENANT, { buildId: 'build-2', dryRun: true });
    expect(dry).toEqual({
      dryRun: true,
      moved: [{ runId: compatible, workflow: 'drain.compatible', version: '1.0.0', from, to }],
      refused: [expectedRefusal],
      runsJudged: 2,
    });
    expect((await versioningOf(env, compatible)).overrideBuildId).toBeNull();

    const result = await drain.drain(TENANT, { buildId: 'build-2' });
    expect(result).toEqual({ ...dry, dryRun: false });
    expect(await versioningOf(env, compatible)).toMatchObject({ overrideBuildId: 'build-3' });

    // The moved run takes its event on build 3 and finishes; the refused one is still pinned to build 2.
    await env.engine.deliverEvent(createRunRef('temporal', TENANT, compatible), { eventId: 'ev-c', eventName: 'GO', correlationKey: 'c-1', payload: 'moved' });
    expect(await resultOf(env, compatible)).toBe('moved');
    expect(await versioningOf(env, incompatible)).toEqual({ behavior: 'PINNED', buildId: 'build-2', overrideBuildId: null });

    // Draining again moves nothing new: the refused run is refused again; another tenant has nothing to drain.
    expect(await drain.drain(TENANT, { workflow: 'drain.incompatible', version: '1.0.0' })).toEqual({ dryRun: false, moved: [], refused: [expectedRefusal], runsJudged: 1 });
    expect(await drain.drain('tenant-other', { buildId: 'build-2' })).toEqual({ dryRun: false, moved: [], refused: [], runsJudged: 0 });

    // A run whose history grew past what was replayed is not moved (here: "replayed" 1 event).
    expect(await drain.moveIfUnchanged({ runId: incompatible, target: to, events: 1 })).toBe(false);
    expect(await versioningOf(env, incompatible)).toEqual({ behavior: 'PINNED', buildId: 'build-2', overrideBuildId: null });

    // The deployment listing: build 3 current and polled, build 2 not routed, its one run still pinned.
    const listed = await createTemporalDeployments({ client: env.client, runs: env.stores.runs, taskQueue: env.taskQueue }).list(TENANT);
    const mine = listed.items.filter((v) => v.deploymentName === env.deployment.deploymentName);
    const byBuild = Object.fromEntries(mine.map((v) => [v.buildId, v]));
    expect(byBuild['build-3']).toMatchObject({ current: true, ramping: false, status: 'CURRENT', runs: 0 });
    expect(byBuild['build-3']!.pollers).toBeGreaterThan(0);
    expect(byBuild['build-2']).toMatchObject({ current: false, ramping: false, runs: 1 });
    expect(['DRAINING', 'DRAINED', 'INACTIVE']).toContain(byBuild['build-2']!.status);
    expect(listed.runsJudged).toBe(1);
  });
});
