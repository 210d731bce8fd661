import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BatonError, createRunRef, defineAction, ErrorCode, type StartRunRequest } from '@baton/runtime-core';
import { startTemporalTestEnv, historyEventTypes, resultOf, TENANT, waitFor, type TemporalTestEnv } from '../__fixtures__/temporal-test-env.js';
import { humanTaskSignal, workflowIdForRun } from '../workflows/workflow-messages.js';

const slow = defineAction({
  id: 'test.slow',
  version: 1,
  input: z.object({ ms: z.number() }),
  output: z.object({ slept: z.number() }),
  handler: async ({ ms }, context) => {
    await delay(ms, undefined, { signal: context.signal }).catch(() => undefined);
    return { slept: ms };
  },
});

const upstream = defineAction({
  id: 'test.upstream',
  version: 1,
  input: z.object({}),
  output: z.never(),
  handler: () => {
    throw new Error('the upstream request was cancelled by the peer');
  },
});

const longActions = { started: new Set<string>(), aborted: new Set<string>() };
const abortable = defineAction({
  id: 'test.abortable',
  version: 1,
  input: z.object({}),
  output: z.null(),
  handler: async (_input, context) => {
    longActions.started.add(context.runId);
    try {
      await delay(30_000, undefined, { signal: context.signal });
    } catch {
      longActions.aborted.add(context.runId);
    }
    return null;
  },
});

let env: TemporalTestEnv;
beforeAll(async () => {
  env = await startTemporalTestEnv('engine', { actions: [slow, upstream, abortable] });
});
afterAll(async () => {
  await env?.close();
});

async function startRun(workflow: string, input: unknown): Promise<string> {
  const started = await env.runtime.startRun(TENANT, { workflow, input: input as never });
  return started.runId;
}

function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('createTemporalEngine', () => {
  it('starts a run once per run id: a repeated start, running or finished, starts nothing new', async () => {
    await env.publish({
      name: 'engine.once',
      version: '1.0.0',
      steps: [
        { id: 'wait', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' } },
        { id: 'done', type: 'control.return', output: 'ok' },
      ],
    });
    const runId = await startRun('engine.once', { key: 'once-1' });
    const run = await env.runtime.getRun(TENANT, runId);
    const published = await env.runtime.registry.resolve(TENANT, 'engine.once', { runKey: runId });
    const request: StartRunRequest = {
      tenant: TENANT,
      runId,
      workflow: { name: run.workflow, version: run.version, hash: published.hash },
      definition: published.definition,
      input: run.input,
      executionKey: null,
      runKey: runId,
      startedAt: run.createdAt,
    };
    const handle = env.client.workflow.getHandle(workflowIdForRun(runId));
    const first = (await handle.describe()).runId;
    const ref = await env.engine.start(request);
    expect(ref).toMatchObject({ engine: 'temporal', runId, tenant: TENANT });
    expect((await handle.describe()).runId).toBe(first);

    await env.engine.deliverEvent(ref, { eventId: 'go-1', eventName: 'GO', correlationKey: 'once-1', payload: null });
    await expect(resultOf(env, runId)).resolves.toBe('ok');
    await env.engine.start(request);
    const after = await handle.describe();
    expect(after.runId).toBe(first);
    expect(after.status.name).toBe('COMPLETED');
  });

  it('deduplicates events by event id and buffers events that arrive before their wait', async () => {
    await env.publish({
      name: 'engine.dedupe',
      version: '1.0.0',
      steps: [
        { id: 'busy', type: 'action.call', action: 'test.slow', actionVersion: 1, input: { ms: 300 } },
        { id: 'first', type: 'event.wait', eventName: 'PING', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.first' },
        { id: 'second', type: 'event.wait', eventName: 'PING', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.second' },
        { id: 'done', type: 'control.return', output: { $expr: '[vars.first.eventId, vars.second.eventId]' } },
      ],
    });
    const runId = await startRun('engine.dedupe', { key: 'k-dedupe' });
    const ref = createRunRef('temporal', TENANT, runId);
    // All three arrive while the action runs: nothing waits yet, so they are buffered.
    await env.engine.deliverEvent(ref, { eventId: 'e1', eventName: 'PING', correlationKey: 'k-dedupe', payload: 1 });
    await env.engine.deliverEvent(ref, { eventId: 'e1', eventName: 'PING', correlationKey: 'k-dedupe', payload: 1 });
    await env.engine.deliverEvent(ref, { eventId: 'e2', eventName: 'PING', correlationKey: 'k-dedupe', payload: 2 });
    await expect(resultOf(env, runId)).resolves.toEqual(['e1', 'e2']);
  });

  it('answers baton.state with the current step and open waits', async () => {
    await env.publish({
      name: 'engine.query',
      version: '1.0.0',
      steps: [{ id: 'wait', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' } }],
    });
    const runId = await startRun('engine.query', { key: 'q-1' });
    const ref = createRunRef('temporal', TENANT, runId);
    const view = await waitFor('the wait to open', async () => {
      const state = await env.engine.queryState(ref);
      return state.openWaits.length ? state : undefined;
    });
    expect(view).toMatchObject({ runId, workflow: 'engine.query', status: 'WAITING', currentStepId: 'wait', generation: 0 });
    expect(view.openWaits).toEqual([expect.objectContaining({ type: 'EVENT', stepId: 'wait', eventName: 'GO', correlationKey: 'q-1' })]);
    await env.engine.cancel(ref, 'done with the query test');
  });

  it('completes tasks through the update: an invalid response is refused before it touches the run', async () => {
    await env.publish({
      name: 'engine.tasks',
      version: '1.0.0',
      steps: [
        {
          id: 'approve',
          type: 'human.task',
          taskType: 'approval',
          title: 'Approve?',
          formSchema: { type: 'object', required: ['approved'], properties: { approved: { type: 'boolean' } } },
          saveAs: 'vars.approval',
        },
        { id: 'confirm', type: 'human.task', taskType: 'confirm', title: 'Confirm', saveAs: 'vars.confirm' },
        { id: 'done', type: 'control.return', output: { $expr: 'vars.approval.approved' } },
      ],
    });
    const runId = await startRun('engine.tasks', {});
    const ref = createRunRef('temporal', TENANT, runId);
    const task = await waitFor('the approval task', async () => (await env.stores.tasks.list(TENANT, { runId, status: 'OPEN' }))[0]);

    const invalid = await errorOf(env.engine.completeHumanTask(ref, { taskId: task.taskId, response: { approved: 'yes' }, completedAt: new Date().toISOString() }));
    expect(invalid).toBeInstanceOf(BatonError);
    expect(invalid).toMatchObject({ code: ErrorCode.VALIDATION_ERROR });
    expect((invalid as BatonError).details['issues']).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('approved') })]));
    // The validator refused it: no update was accepted, the run still waits on the same task.
    expect(await historyEventTypes(env, runId)).not.toContain('WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(await env.engine.queryState(ref)).toMatchObject({ status: 'WAITING', currentStepId: 'approve' });

    const unknown = await errorOf(env.engine.completeHumanTask(ref, { taskId: 'no-such-task', response: {}, completedAt: new Date().toISOString() }));
    expect(unknown).toMatchObject({ code: ErrorCode.TASK_NOT_FOUND });

    await env.engine.completeHumanTask(ref, { taskId: task.taskId, response: { approved: true }, completedAt: new Date().toISOString() });
    // Applied before the update returned: the run already waits on the next task.
    expect(await env.engine.queryState(ref)).toMatchObject({ currentStepId: 'confirm' });
    // The same completion again is a no-op, not an error.
    await env.engine.completeHumanTask(ref, { taskId: task.taskId, response: { approved: true }, completedAt: new Date().toISOString() });

    const confirm = await waitFor('the confirm task', async () => (await env.stores.tasks.list(TENANT, { runId, status: 'OPEN' }))[0]);
    await env.runtime.completeTask(TENANT, confirm.taskId, { response: 'yes' });
    await expect(resultOf(env, runId)).resolves.toBe(true);
    expect((await env.stores.tasks.get(TENANT, task.taskId))?.status).toBe('COMPLETED');
  });

  it('also takes a task completion as the baton.humanTask signal', async () => {
    await env.publish({
      name: 'engine.task-signal',
      version: '1.0.0',
      steps: [{ id: 'ask', type: 'human.task', taskType: 'note', title: 'Note', saveAs: 'vars.note' }],
    });
    const runId = await startRun('engine.task-signal', {});
    const task = await waitFor('the task', async () => (await env.stores.tasks.list(TENANT, { runId, status: 'OPEN' }))[0]);
    await env.client.workflow.getHandle(workflowIdForRun(runId)).signal(humanTaskSignal, { taskId: task.taskId, response: 'hi', completedBy: 'ops' });
    await expect(resultOf(env, runId)).resolves.toEqual({ note: 'hi' });
    // The run recorded the completion in the task store (it did not come through the run service).
    expect(await env.stores.tasks.get(TENANT, task.taskId)).toMatchObject({ status: 'COMPLETED', response: 'hi', completedBy: 'ops' });
  });

  it('cancels through Temporal and answers only once Temporal says the workflow cancelled; a second cancel answers the same', async () => {
    await env.publish({
      name: 'engine.cancel',
      version: '1.0.0',
      steps: [
        { id: 'wait', type: 'event.wait', eventName: 'NEVER', correlationKey: { $expr: 'input.key' } },
        { id: 'done', type: 'control.return', output: 'not reached' },
      ],
    });
    const runId = await startRun('engine.cancel', { key: 'c-1' });
    await waitFor('the wait to open', async () => (await env.stores.waits.listForRun(TENANT, runId, { status: 'WAITING' }))[0]);
    const result = await env.runtime.control(TENANT, runId, 'cancel', { reason: 'operator stop' });
    expect(result.status).toBe('CANCELED');

    const handle = env.client.workflow.getHandle(workflowIdForRun(runId));
    await waitFor('the workflow to close', async () => ((await handle.describe()).status.name === 'CANCELLED' ? true : undefined));
    const run = await env.runtime.getRun(TENANT, runId);
    expect(run).toMatchObject({ status: 'CANCELED', error: { category: 'Canceled', message: 'operator stop' }, waits: [] });
    const steps = await env.runtime.listSteps(TENANT, runId);
    expect(steps.items.find((s) => s.stepId === 'wait')?.status).toBe('CANCELED');

    // Temporal refuses a second cancel request; the workflow's own close says how it ended.
    expect(await env.engine.cancel(createRunRef('temporal', TENANT, runId), 'again')).toEqual({ settled: 'canceled' });
  });

  it('a cancel of a workflow that completed first answers finished (SUCCEEDED), not cancelled', async () => {
    await env.publish({ name: 'engine.quick', version: '1.0.0', steps: [{ id: 'done', type: 'control.return', output: 'ok' }] });
    const runId = await startRun('engine.quick', {});
    const handle = env.client.workflow.getHandle(workflowIdForRun(runId));
    await waitFor('the workflow to complete', async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined));
    expect(await env.engine.cancel(createRunRef('temporal', TENANT, runId), 'too late')).toEqual({ settled: 'finished', status: 'SUCCEEDED' });
  });

  it('a cancel the workflow has not applied within settleMs answers requested', async () => {
    // No worker polls this task queue: Temporal accepts the cancel request, nothing applies it.
    const runId = crypto.randomUUID();
    const handle = await env.client.workflow.start('batonRun', {
      taskQueue: `nobody-polls-${runId}`,
      workflowId: workflowIdForRun(runId),
      args: [],
    });
    try {
      const started = Date.now();
      expect(await env.engine.cancel(createRunRef('temporal', TENANT, runId), 'slow', { settleMs: 300 })).toEqual({ settled: 'requested' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await handle.terminate('test cleanup');
    }
  });

  it('a cancel Temporal refuses (the workflow was terminated outside Baton) fails with WORKFLOW_TEMPORAL_CANCEL_FAILED', async () => {
    await env.publish({
      name: 'engine.terminated',
      version: '1.0.0',
      steps: [{ id: 'wait', type: 'event.wait', eventName: 'NEVER', correlationKey: 'k' }],
    });
    const runId = await startRun('engine.terminated', {});
    const handle = env.client.workflow.getHandle(workflowIdForRun(runId));
    await waitFor('the workflow to run', async () => ((await handle.describe()).status.name === 'RUNNING' ? true : undefined));
    await handle.terminate('operator');
    const refused = await errorOf(env.engine.cancel(createRunRef('temporal', TENANT, runId), 'again'));
    expect(refused).toBeInstanceOf(BatonError);
    expect(refused).toMatchObject({ code: ErrorCode.WORKFLOW_TEMPORAL_CANCEL_FAILED, details: { runId } });
  });

  it('a cancel reaches a running action: its abort signal fires', async () => {
    await env.publish({
      name: 'engine.cancel-action',
      version: '1.0.0',
      steps: [{ id: 'long', type: 'action.call', action: 'test.abortable', actionVersion: 1, input: {} }],
    });
    const runId = await startRun('engine.cancel-action', {});
    await waitFor('the action to start', () => (longActions.started.has(runId) ? true : undefined));
    await env.engine.cancel(createRunRef('temporal', TENANT, runId), 'stop the long action');
    await waitFor('the action to be aborted', () => (longActions.aborted.has(runId) ? true : undefined));
    await waitFor('the projection', async () => ((await env.stores.runs.get(TENANT, runId))?.status === 'CANCELED' ? true : undefined));
  });

  it('an action error whose message says "cancelled" is an ActionError, not a cancellation', async () => {
    await env.publish({
      name: 'engine.not-cancel',
      version: '1.0.0',
      steps: [
        {
          id: 'guard',
          type: 'control.tryCatch',
          captureErrorAs: 'vars.caught',
          try: [{ id: 'call', type: 'action.call', action: 'test.upstream', actionVersion: 1, input: {} }],
          catch: [{ id: 'noted', type: 'transform.assign', assign: { 'vars.handled': true } }],
        },
        { id: 'fail', type: 'action.call', action: 'test.upstream', actionVersion: 1, input: {} },
      ],
    });
    const runId = await startRun('engine.not-cancel', {});
    const failure = await errorOf(resultOf(env, runId));
    expect(failure).toMatchObject({ cause: { type: 'ActionError', message: 'the upstream request was cancelled by the peer' } });
    const handle = env.client.workflow.getHandle(workflowIdForRun(runId));
    expect((await handle.describe()).status.name).toBe('FAILED');
    const run = await env.runtime.getRun(TENANT, runId);
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ category: 'ActionError', stepId: 'fail' });
    const steps = await env.runtime.listSteps(TENANT, runId);
    expect(steps.items.find((s) => s.stepId === 'guard')?.status).toBe('SUCCEEDED');
  });

  it('leaves retries to the interpreter: each attempt is one activity, never retried by Temporal for an action error; a lost attempt is noticed by heartbeat', async () => {
    await env.publish({
      name: 'engine.retry',
      version: '1.0.0',
      steps: [
        {
          id: 'flaky',
          type: 'action.call',
          action: 'test.flaky',
          actionVersion: 1,
          input: { failTimes: 2 },
          retry: { maxAttempts: 3, backoffMs: 20, retryOn: ['TransientError'] },
          saveAs: 'vars.flaky',
        },
      ],
    });
    const runId = await startRun('engine.retry', {});
    await expect(resultOf(env, runId)).resolves.toEqual({ flaky: { attempts: 3 } });
    const history = await env.client.workflow.getHandle(workflowIdForRun(runId)).fetchHistory();
    const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled).toHaveLength(3);
    for (const event of scheduled) {
      // Temporal's own attempts are only for a worker that stopped reporting (heartbeat 10 s by default).
      expect(Number(event.activityTaskScheduledEventAttributes?.heartbeatTimeout?.seconds)).toBe(10);
      expect(event.activityTaskScheduledEventAttributes?.retryPolicy?.maximumAttempts).toBe(10);
    }
    // Each activity ran once: the TransientErrors were non-retryable failures the interpreter retried.
    const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
    expect(started.map((e) => e.activityTaskStartedEventAttributes?.attempt)).toEqual([1, 1, 1]);
    const steps = await env.runtime.listSteps(TENANT, runId);
    expect(steps.items).toEqual([expect.objectContaining({ stepId: 'flaky', status: 'SUCCEEDED', attempt: 3 })]);
  });

  it('a step timeout surfaces as TimeoutError', async () => {
    await env.publish({
      name: 'engine.timeout',
      version: '1.0.0',
      steps: [
        {
          id: 'guard',
          type: 'control.tryCatch',
          captureErrorAs: 'vars.caught',
          try: [{ id: 'sleepy', type: 'action.call', action: 'test.slow', actionVersion: 1, input: { ms: 3000 }, timeoutMs: 100 }],
          catch: [],
        },
        { id: 'done', type: 'control.return', output: { $expr: 'vars.caught.category' } },
      ],
    });
    const runId = await startRun('engine.timeout', {});
    await expect(resultOf(env, runId)).resolves.toBe('TimeoutError');
  });
});
