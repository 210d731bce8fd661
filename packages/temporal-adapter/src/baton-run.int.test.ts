import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setTimeout as delay } from 'node:timers/promises';
import { createRunRef, defineAction } from '@baton/runtime-core';
import { chainOf } from './__fixtures__/record-histories.js';
import { historyEventTypes, resultOf, startTemporalTestEnv, TENANT, waitFor, type TemporalTestEnv } from './__fixtures__/temporal-test-env.js';
import { workflowIdForRun } from './workflows/workflow-messages.js';

const pause = defineAction({
  id: 'test.pause',
  version: 1,
  input: z.object({ ms: z.number() }),
  output: z.null(),
  handler: async ({ ms }) => {
    await delay(ms);
    return null;
  },
});

let env: TemporalTestEnv;
beforeAll(async () => {
  // A tiny history budget so the automatic continue-as-new happens within a test.
  env = await startTemporalTestEnv('driver', { actions: [pause], settings: { maxStepsPerRun: 4 } });
});
afterAll(async () => {
  await env?.close();
});

async function startRun(workflow: string, input: unknown): Promise<string> {
  return (await env.runtime.startRun(TENANT, { workflow, input: input as never })).runId;
}

describe('continue-as-new', () => {
  it('continues automatically with the interpreter state, buffered events and seen event ids', async () => {
    await env.publish({
      name: 'driver.long',
      version: '1.0.0',
      steps: [
        { id: 'slow', type: 'action.call', action: 'test.pause', actionVersion: 1, input: { ms: 400 } },
        {
          id: 'loop',
          type: 'control.forEach',
          items: { $expr: '[1,2,3,4,5,6,7,8,9,10]' },
          body: [{ id: 'echo', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: 'item' } }],
        },
        { id: 'first', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.first' },
        { id: 'second', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.second' },
        { id: 'done', type: 'control.return', output: { $expr: '[vars.first.eventId, vars.second.eventId]' } },
      ],
    });
    const runId = await startRun('driver.long', { key: 'can-1' });
    const ref = createRunRef('temporal', TENANT, runId);
    const handle = env.client.workflow.getHandle(workflowIdForRun(runId));
    const firstRunId = (await handle.describe()).runId;
    // Delivered while the first action runs: buffered, and it has to survive the continue-as-new.
    await env.engine.deliverEvent(ref, { eventId: 'ev-1', eventName: 'GO', correlationKey: 'can-1', payload: 1 });

    await waitFor('the second wait', async () => ((await env.engine.queryState(ref)).currentStepId === 'second' ? true : undefined));
    expect((await env.client.workflow.getHandle(workflowIdForRun(runId), firstRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');
    // The first event was consumed by the first wait; delivering it again after the continue-as-new is a duplicate.
    await env.engine.deliverEvent(ref, { eventId: 'ev-1', eventName: 'GO', correlationKey: 'can-1', payload: 1 });
    await delay(300);
    expect(await env.engine.queryState(ref)).toMatchObject({ currentStepId: 'second', bufferedEvents: 0 });
    await env.engine.deliverEvent(ref, { eventId: 'ev-2', eventName: 'GO', correlationKey: 'can-1', payload: 2 });

    await expect(resultOf(env, runId)).resolves.toEqual(['ev-1', 'ev-2']);
    const steps = (await env.runtime.listSteps(TENANT, runId)).items;
    expect(steps.filter((s) => s.stepId === 'echo').map((s) => s.status)).toEqual(Array(10).fill('SUCCEEDED'));
    expect((await env.runtime.getRun(TENANT, runId)).status).toBe('SUCCEEDED');
    // A loop of actions continues as new too (between two actions): every Temporal run stays short.
    const chain = await chainOf(env, workflowIdForRun(runId));
    expect(chain.length).toBeGreaterThanOrEqual(3);
    for (const temporalRunId of chain) expect((await historyEventTypes(env, runId, temporalRunId)).length).toBeLessThan(40);
  });

  it('control.continueAsNew resolves the version policy again (upgrade at the boundary), unless pinned', async () => {
    const looping = (name: string, pinVersion: boolean) => ({
      name,
      version: '1.0.0',
      steps: [
        {
          id: 'branch',
          type: 'control.if',
          condition: { $expr: 'input.generation = 1' },
          then: [{ id: 'stay', type: 'control.return', output: { $expr: '"1.0.0 gen " & input.generation' } }],
          else: [
            { id: 'gate', type: 'event.wait', eventName: 'NEXT', correlationKey: { $expr: 'input.key' } },
            { id: 'again', type: 'control.continueAsNew', input: { $expr: '{"key": input.key, "generation": 1}' }, pinVersion },
          ],
        },
      ],
    });
    const upgraded = (name: string) => ({
      name,
      version: '2.0.0',
      steps: [{ id: 'new', type: 'control.return', output: { $expr: '"2.0.0 gen " & input.generation' } }],
    });
    await env.publish(looping('driver.upgrade', false), looping('driver.pinned', true));
    const upgrading = await startRun('driver.upgrade', { key: 'up-1', generation: 0 });
    const pinned = await startRun('driver.pinned', { key: 'pin-1', generation: 0 });
    for (const runId of [upgrading, pinned]) {
      await waitFor('the gate to open', async () => (await env.stores.waits.listForRun(TENANT, runId, { status: 'WAITING' }))[0]);
    }
    // Published while both runs wait: only the unpinned one picks it up, and only at continue-as-new.
    await env.publish(upgraded('driver.upgrade'), upgraded('driver.pinned'));
    await env.engine.deliverEvent(createRunRef('temporal', TENANT, upgrading), { eventId: 'n-1', eventName: 'NEXT', correlationKey: 'up-1', payload: null });
    await env.engine.deliverEvent(createRunRef('temporal', TENANT, pinned), { eventId: 'n-2', eventName: 'NEXT', correlationKey: 'pin-1', payload: null });
    await expect(resultOf(env, upgrading)).resolves.toBe('2.0.0 gen 1');
    await expect(resultOf(env, pinned)).resolves.toBe('1.0.0 gen 1');
    // The projection follows the run to the version it continued on.
    expect(await env.stores.runs.get(TENANT, upgrading)).toMatchObject({ version: '2.0.0', status: 'SUCCEEDED' });
    expect(await env.stores.runs.get(TENANT, pinned)).toMatchObject({ version: '1.0.0', status: 'SUCCEEDED' });
  });
});

describe('child runs', () => {
  it('runs control.callWorkflow as a child workflow with a projection row of its own', async () => {
    await env.publish(
      { name: 'kids.double', version: '1.0.0', steps: [{ id: 'twice', type: 'control.return', output: { $expr: 'input.n * 2' } }] },
      { name: 'kids.refuse', version: '1.0.0', steps: [{ id: 'no', type: 'control.fail', code: 'NOPE', message: 'refused' }] },
      {
        name: 'kids.parent',
        version: '1.0.0',
        steps: [
          { id: 'call', type: 'control.callWorkflow', workflow: 'kids.double', input: { n: 21 }, saveAs: 'vars.doubled' },
          {
            id: 'guard',
            type: 'control.tryCatch',
            captureErrorAs: 'vars.err',
            try: [{ id: 'refused', type: 'control.callWorkflow', workflow: 'kids.refuse', version: '^1.0.0' }],
            catch: [],
          },
          { id: 'done', type: 'control.return', output: { $expr: '{"doubled": vars.doubled, "category": vars.err.category, "code": vars.err.code}' } },
        ],
      },
    );
    const runId = await startRun('kids.parent', {});
    await expect(resultOf(env, runId)).resolves.toEqual({ doubled: 42, category: 'ChildWorkflowError', code: 'CHILD_WORKFLOW_FAILED' });

    const children = (await env.stores.runs.list(TENANT, { limit: 100 })).items.filter((r) => r.parentRunId === runId);
    expect(children.map((c) => [c.workflow, c.status, c.engine]).sort()).toEqual([
      ['kids.double', 'SUCCEEDED', 'temporal'],
      ['kids.refuse', 'FAILED', 'temporal'],
    ]);
    for (const child of children) {
      const described = await env.client.workflow.getHandle(workflowIdForRun(child.runId)).describe();
      expect(described.parentExecution?.workflowId).toBe(workflowIdForRun(runId));
    }
  });

  it('a cancelled parent cancels its child', async () => {
    await env.publish(
      { name: 'kids.waiter', version: '1.0.0', steps: [{ id: 'hold', type: 'event.wait', eventName: 'NEVER', correlationKey: 'x' }] },
      { name: 'kids.holder', version: '1.0.0', steps: [{ id: 'call', type: 'control.callWorkflow', workflow: 'kids.waiter' }] },
    );
    const runId = await startRun('kids.holder', {});
    const child = await waitFor('the child run', async () =>
      (await env.stores.runs.list(TENANT, { limit: 100 })).items.find((r) => r.parentRunId === runId && r.workflow === 'kids.waiter'),
    );
    await waitFor('the child wait', async () => (await env.stores.waits.listForRun(TENANT, child.runId, { status: 'WAITING' }))[0]);
    await env.runtime.control(TENANT, runId, 'cancel', { reason: 'parent stopped' });
    const childHandle = env.client.workflow.getHandle(workflowIdForRun(child.runId));
    await waitFor('the child to be cancelled', async () => ((await childHandle.describe()).status.name === 'CANCELLED' ? true : undefined));
    await waitFor('the child projection', async () => ((await env.stores.runs.get(TENANT, child.runId))?.status === 'CANCELED' ? true : undefined));
  });
});
