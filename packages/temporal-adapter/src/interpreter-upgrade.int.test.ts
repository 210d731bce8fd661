// A changed but compatible interpreter release (__fixtures__/changed-interpreter: every accepted
// input also arms a 1 ms timer) under a waiting run. In `localActivity` mode a worker of the new
// build takes the run over at its next step and finishes it on the new interpreter without a
// determinism error. In `workflow` mode the same change is workflow code: the replay check flags it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Worker } from '@temporalio/worker';
import { createRunRef } from '@baton/runtime-core';
import { cachedBatonBundle } from './__fixtures__/cached-bundle.js';
import { changedAdvance, changedAdvanceCalls } from './__fixtures__/changed-interpreter/changed-advance.js';
import { historyEventTypes, resultOf, startTemporalTestEnv, TENANT, waitFor, type TemporalTestEnv } from './__fixtures__/temporal-test-env.js';
import { replayHistories } from './replay/replay-histories.js';
import { createBatonWorker } from './worker/create-baton-worker.js';
import { setCurrentDeploymentVersion, type BatonDeployment } from './worker/deployment-versioning.js';
import { workflowIdForRun } from './workflows/workflow-messages.js';

const changedWorkflowMode = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__/changed-interpreter/index.ts');

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const waiting = {
  name: 'upgrade.wait',
  version: '1.0.0',
  steps: [
    { id: 'hold', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' } },
    { id: 'echo', type: 'action.call', action: 'core.echo', actionVersion: 1, input: 'after', saveAs: 'vars.after' },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.after' } },
  ],
};

async function startWaitingRun(env: TemporalTestEnv, key: string): Promise<string> {
  const { runId } = await env.runtime.startRun(TENANT, { workflow: waiting.name, input: { key } });
  await waitFor('the wait to open', async () => (await env.stores.waits.listForRun(TENANT, runId, { status: 'WAITING' }))[0]);
  return runId;
}

async function finish(env: TemporalTestEnv, runId: string, key: string): Promise<void> {
  await env.engine.deliverEvent(createRunRef('temporal', TENANT, runId), { eventId: `go-${runId}`, eventName: 'GO', correlationKey: key, payload: null });
  await expect(resultOf(env, runId)).resolves.toBe('after');
}

async function historyOf(env: TemporalTestEnv, runId: string) {
  const workflowId = workflowIdForRun(runId);
  return { workflowId, history: await env.client.workflow.getHandle(workflowId).fetchHistory() };
}

describe('an interpreter upgrade under a waiting run', () => {
  it('localActivity: a worker of the new build finishes the run on the new interpreter, without a determinism error', { timeout: 240_000 }, async () => {
    const env = await startTemporalTestEnv('upgrade-la', { interpreter: 'localActivity', defaultBehavior: 'AUTO_UPGRADE' });
    cleanups.push(() => env.close());
    await env.publish(waiting);
    const runId = await startWaitingRun(env, 'la-1');

    // The old build goes away; the new one (same shell bundle, changed interpreter) becomes current.
    await env.stopWorker();
    const deployment: BatonDeployment = { ...env.deployment, buildId: 'build-2' };
    const worker: Worker = await createBatonWorker({
      connection: env.native,
      taskQueue: env.taskQueue,
      actions: env.actions,
      store: env.stores,
      deployment,
      interpreter: 'localActivity',
      interpreterActivity: { advance: changedAdvance },
      workflowBundle: env.bundle,
      tuning: { identity: 'upgrade-la-build-2' },
    });
    const running = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await running;
    });
    await setCurrentDeploymentVersion(env.client.workflowService, deployment, { waitMs: 90_000 });
    changedAdvanceCalls.length = 0;

    await finish(env, runId, 'la-1');
    const types = await historyEventTypes(env, runId);
    expect(types.filter((t) => t === 'WORKFLOW_TASK_FAILED')).toEqual([]);
    // The new interpreter took every input after the upgrade (the old one's Start stays recorded) …
    expect(changedAdvanceCalls).toEqual(expect.arrayContaining(['EventReceived', 'ActionCompleted']));
    expect(changedAdvanceCalls).not.toContain('Start');
    // … and its new command ran: timers started only after the event came.
    const signalled = types.indexOf('WORKFLOW_EXECUTION_SIGNALED');
    expect(types.indexOf('TIMER_STARTED')).toBeGreaterThan(signalled);
    // The recorded history replays against the shell bundle: the interpreter is not workflow code.
    const replayed = await replayHistories([await historyOf(env, runId)], { workflowBundle: env.bundle });
    expect(replayed.failed).toBe(0);
  });

  it('workflow: the same change to the interpreter in the workflow code fails the replay check', { timeout: 240_000 }, async () => {
    const env = await startTemporalTestEnv('upgrade-wf', { interpreter: 'workflow' });
    cleanups.push(() => env.close());
    await env.publish(waiting);
    const runId = await startWaitingRun(env, 'wf-1');
    await finish(env, runId, 'wf-1');
    const recorded = await historyOf(env, runId);

    const unchanged = await replayHistories([recorded], { workflowBundle: env.bundle });
    expect(unchanged.failed).toBe(0);
    const changed = await replayHistories([recorded], { workflowBundle: await cachedBatonBundle(changedWorkflowMode) });
    expect(changed.failed).toBe(1);
    expect(changed.results[0]?.error).toMatchObject({ nondeterministic: true, name: 'DeterminismViolationError' });
  });
});
