import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InMemoryRunStore } from '@baton/runtime-core';
import { startTemporalTestEnv, TENANT, waitFor, type TemporalTestEnv } from '../__fixtures__/temporal-test-env.js';
import { workflowIdForRun } from '../workflows/workflow-messages.js';
import { createTemporalReconciler, type ReconcilePassReport, type TemporalReconciler } from './temporal-reconciler.js';

const run = promisify(execFile);

let env: TemporalTestEnv;
let reconciler: TemporalReconciler;

beforeAll(async () => {
  env = await startTemporalTestEnv('reconciler');
  await env.publish(
    {
      name: 'rec.wait',
      version: '1.0.0',
      steps: [
        { id: 'wait', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' } },
        { id: 'done', type: 'control.return', output: 'ok' },
      ],
    },
    {
      name: 'rec.echo',
      version: '1.0.0',
      steps: [
        { id: 'echo', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: 'input' }, saveAs: 'vars.echoed' },
        { id: 'done', type: 'control.return', output: { $expr: 'vars.echoed' } },
      ],
    },
    {
      name: 'rec.fail',
      version: '1.0.0',
      steps: [{ id: 'boom', type: 'action.call', action: 'test.fail', actionVersion: 1, input: { message: 'no stock', code: 'NO_STOCK' } }],
    },
  );
  // Every stale projection of this file's stores is compared at each pass (staleness 0).
  reconciler = createTemporalReconciler({
    client: env.client.workflow,
    engine: env.engine,
    runs: env.stores.runs,
    scan: env.stores.runs as InMemoryRunStore,
    definitions: env.stores.definitions,
    staleAfterMs: 0,
  });
});
afterAll(async () => {
  await env?.close();
});

async function startRun(workflow: string, input: unknown): Promise<string> {
  return (await env.runtime.startRun(TENANT, { workflow, input: input as never })).runId;
}

const statusOf = async (runId: string) => (await env.stores.runs.get(TENANT, runId))?.status;

async function untilStatus(runId: string, ...statuses: string[]): Promise<void> {
  await waitFor(`run ${runId} ${statuses.join('/')}`, async () => (statuses.includes((await statusOf(runId)) ?? '') ? true : undefined));
}

/** A projection row for a run with no workflow in Temporal (as a start whose outcome was unknown leaves it). */
async function projectionOnly(workflow: string, input: unknown): Promise<string> {
  const runId = globalThis.crypto.randomUUID();
  const published = await env.stores.definitions.get(TENANT, workflow, '1.0.0');
  await env.stores.runs.create(TENANT, {
    runId,
    workflow,
    version: '1.0.0',
    definitionHash: published!.hash,
    engine: 'temporal',
    status: 'RUNNING',
    input: input as never,
    executionKey: null,
    runKey: runId,
    createdAt: new Date(Date.now() - 1000).toISOString(),
  });
  return runId;
}

function entry<T extends { runId: string }>(list: readonly T[], runId: string): T | undefined {
  return list.find((item) => item.runId === runId);
}

describe('createTemporalReconciler', () => {
  it('fails a run terminated with `temporal workflow terminate` with WORKFLOW_CLOSED_EXTERNALLY and Temporal\'s reason; an open run is left alone', async () => {
    const terminated = await startRun('rec.wait', { key: 'terminated' });
    const open = await startRun('rec.wait', { key: 'open' });
    await untilStatus(terminated, 'WAITING');
    await untilStatus(open, 'WAITING');
    const cli = process.env.TEMPORAL_CLI_PATH ?? 'temporal';
    await run(cli, ['workflow', 'terminate', '--address', env.address, '--namespace', 'default', '--workflow-id', workflowIdForRun(terminated), '--reason', 'ops: stuck customer']);
    // Nothing else tells the projection: it still says WAITING.
    expect(await statusOf(terminated)).toBe('WAITING');

    const report = await reconciler.reconcileOnce();
    expect(entry(report.finished, terminated)).toEqual({ tenant: TENANT, runId: terminated, status: 'FAILED', code: 'WORKFLOW_CLOSED_EXTERNALLY' });
    const failed = await env.stores.runs.get(TENANT, terminated);
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: { category: 'TransientError', code: 'WORKFLOW_CLOSED_EXTERNALLY', details: { engineStatus: 'TERMINATED', reason: 'ops: stuck customer' } },
    });
    expect(failed?.error?.message).toContain('ops: stuck customer');
    expect(failed?.completedAt).toBeDefined();
    expect(failed).not.toHaveProperty('currentStepId');
    // The open run was compared and kept.
    expect(entry(report.finished, open)).toBeUndefined();
    expect(await statusOf(open)).toBe('WAITING');
    // A second pass changes nothing (idempotent).
    const again = await reconciler.reconcileOnce();
    expect(entry(again.finished, terminated)).toBeUndefined();
  });

  it('honours the staleness: a projection updated within staleAfterMs is not compared', async () => {
    const runId = await startRun('rec.wait', { key: 'fresh' });
    await untilStatus(runId, 'WAITING');
    await run(process.env.TEMPORAL_CLI_PATH ?? 'temporal', ['workflow', 'terminate', '--address', env.address, '--workflow-id', workflowIdForRun(runId), '--reason', 'x']);
    const patient = createTemporalReconciler({ client: env.client.workflow, engine: env.engine, runs: env.stores.runs, scan: env.stores.runs as InMemoryRunStore, definitions: env.stores.definitions, staleAfterMs: 60_000 });
    const report = await patient.reconcileOnce();
    expect(report.finished).toEqual([]);
    expect(await statusOf(runId)).toBe('WAITING');
    await reconciler.reconcileOnce();
    expect(await statusOf(runId)).toBe('FAILED');
  });

  it('fails a run that made progress but whose workflow Temporal does not have with WORKFLOW_NOT_FOUND', async () => {
    const runId = await projectionOnly('rec.echo', { a: 1 });
    await env.stores.runs.update(TENANT, runId, { currentStepId: 'echo', updatedAt: new Date(Date.now() - 500).toISOString() });
    const report: ReconcilePassReport = await reconciler.reconcileOnce();
    expect(entry(report.finished, runId)).toMatchObject({ status: 'FAILED', code: 'WORKFLOW_NOT_FOUND' });
    expect(await env.stores.runs.get(TENANT, runId)).toMatchObject({ status: 'FAILED', error: { category: 'TransientError', code: 'WORKFLOW_NOT_FOUND' } });
  });

  it('starts again, with the same workflow id, a RUNNING run that never made progress and that Temporal does not have (a start whose outcome was unknown)', async () => {
    const runId = await projectionOnly('rec.echo', { n: 7 });
    const report = await reconciler.reconcileOnce();
    expect(entry(report.restarted, runId)).toEqual({ tenant: TENANT, runId });
    await untilStatus(runId, 'SUCCEEDED');
    expect(await env.stores.runs.get(TENANT, runId)).toMatchObject({ status: 'SUCCEEDED', output: { n: 7 } });
    await expect(env.client.workflow.getHandle(workflowIdForRun(runId)).result()).resolves.toEqual({ n: 7 });
  });

  it('gives a projection that missed the end of its workflow the real outcome (completed with its output, failed with its error)', async () => {
    const succeeded = await startRun('rec.echo', { total: 3 });
    const failed = await startRun('rec.fail', {});
    // Both workflows closed in Temporal.
    await env.client.workflow.getHandle(workflowIdForRun(succeeded)).result();
    await env.client.workflow.getHandle(workflowIdForRun(failed)).result().catch(() => undefined);
    await untilStatus(succeeded, 'SUCCEEDED');
    await untilStatus(failed, 'FAILED');
    // The projection lost the final write (as if the worker's last write never landed).
    const stale = new Date(Date.now() - 500).toISOString();
    for (const runId of [succeeded, failed]) {
      await env.stores.runs.update(TENANT, runId, { status: 'RUNNING', output: null as never, error: null, completedAt: null, currentStepId: 'x', updatedAt: stale });
    }
    const report = await reconciler.reconcileOnce();
    expect(entry(report.finished, succeeded)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await env.stores.runs.get(TENANT, succeeded)).toMatchObject({ status: 'SUCCEEDED', output: { total: 3 } });
    expect(entry(report.finished, failed)).toMatchObject({ status: 'FAILED', code: 'NO_STOCK' });
    expect(await env.stores.runs.get(TENANT, failed)).toMatchObject({ status: 'FAILED', error: { category: 'ActionError', code: 'NO_STOCK', stepId: 'boom' } });
  });

  it('visits stale runs in bounded batches, wrapping around', async () => {
    const waiting = await Promise.all(['b1', 'b2', 'b3'].map((key) => startRun('rec.wait', { key })));
    for (const runId of waiting) await untilStatus(runId, 'WAITING');
    const small = createTemporalReconciler({ client: env.client.workflow, engine: env.engine, runs: env.stores.runs, scan: env.stores.runs as InMemoryRunStore, definitions: env.stores.definitions, staleAfterMs: 0, batchSize: 1 });
    const open = (await (env.stores.runs as InMemoryRunStore).listStale({ engine: 'temporal', updatedBefore: new Date().toISOString(), limit: 100 })).length;
    expect(open).toBeGreaterThanOrEqual(3);
    const visited: string[] = [];
    for (let pass = 0; pass < open; pass++) {
      const { checked } = await small.reconcileOnce();
      expect(checked).toHaveLength(1);
      visited.push(...checked);
    }
    // Each pass takes the next stale run: all of them once, then it starts over.
    expect(new Set(visited).size).toBe(open);
    expect((await small.reconcileOnce()).checked).toEqual([visited[0]]);
  });
});
