import { describe, expect, it } from 'vitest';
import { BatonError, isBatonError, toErrorBody } from '../errors/baton-error.js';
import { createHarness, definition } from './__fixtures__/runtime-harness.js';
import { taskClosedBatonError } from './task-closed-error.js';

const formSchema = { type: 'object', required: ['approved'], properties: { approved: { type: 'boolean' } } };

async function withTask(engine: 'db' | 'temporal' = 'db') {
  const h = createHarness();
  await h.runtime.publishDefinition('acme', definition('approval', '1.0.0'));
  const { runId } = await h.runtime.startRun('acme', { workflow: 'approval', input: null, engine });
  await h.stores.tasks.open('acme', {
    taskId: 'task-1',
    runId,
    engine,
    stepId: 'approve',
    taskType: 'approval',
    title: 'Approve the invoice',
    formSchema,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  return { h, runId };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return isBatonError(err) ? err.code : 'not-a-baton-error';
  }
  return undefined;
}

describe('listTasks / completeTask', () => {
  it('lists tasks of the tenant by status and run', async () => {
    const { h, runId } = await withTask();
    expect((await h.runtime.listTasks('acme', { status: 'OPEN' })).items).toEqual([
      {
        taskId: 'task-1',
        runId,
        stepId: 'approve',
        taskType: 'approval',
        title: 'Approve the invoice',
        formSchema,
        status: 'OPEN',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
    expect((await h.runtime.listTasks('acme', { runId: 'other' })).items).toEqual([]);
    expect((await h.runtime.listTasks('globex')).items).toEqual([]);
  });

  it('refuses a response that does not satisfy the form schema, changing nothing', async () => {
    const { h } = await withTask();
    let thrown: unknown;
    try {
      await h.runtime.completeTask('acme', 'task-1', { response: { approved: 'yes' } });
    } catch (err) {
      thrown = err;
    }
    expect(isBatonError(thrown, 'VALIDATION_ERROR')).toBe(true);
    expect(toErrorBody(thrown).error.issues).toEqual([expect.objectContaining({ path: 'response.approved', code: 'type' })]);
    expect((await h.stores.tasks.get('acme', 'task-1'))!.status).toBe('OPEN');
    expect(h.db.calls.filter((c) => c.op === 'completeHumanTask')).toEqual([]);
  });

  it('completes the task and hands the response to the run engine; a second completion is TASK_ALREADY_COMPLETED', async () => {
    const { h, runId } = await withTask('temporal');
    expect(await h.runtime.completeTask('acme', 'task-1', { response: { approved: true }, completedBy: 'ana' })).toEqual({
      taskId: 'task-1',
      runId,
      status: 'COMPLETED',
    });
    expect(h.temporal.calls.filter((c) => c.op === 'completeHumanTask')).toEqual([
      { op: 'completeHumanTask', runId, arg: { taskId: 'task-1', response: { approved: true }, completedAt: '2026-01-01T00:00:00.000Z', completedBy: 'ana' } },
    ]);
    expect(await h.stores.tasks.get('acme', 'task-1')).toMatchObject({ status: 'COMPLETED', response: { approved: true }, completedBy: 'ana' });
    expect(await codeOf(h.runtime.completeTask('acme', 'task-1', { response: { approved: false } }))).toBe('TASK_ALREADY_COMPLETED');
    expect(h.temporal.calls.filter((c) => c.op === 'completeHumanTask')).toHaveLength(1);
  });

  it('lets only one of two racing completions with different responses through', async () => {
    const { h } = await withTask();
    const results = await Promise.allSettled([
      h.runtime.completeTask('acme', 'task-1', { response: { approved: true } }),
      h.runtime.completeTask('acme', 'task-1', { response: { approved: false } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(h.db.calls.filter((c) => c.op === 'completeHumanTask')).toHaveLength(1);
  });

  it('answers the same response again 200 with the same result, and another response 409', async () => {
    const { h, runId } = await withTask();
    const first = await h.runtime.completeTask('acme', 'task-1', { response: { approved: true } });
    expect(first).toEqual({ taskId: 'task-1', runId, status: 'COMPLETED' });
    // Key order does not matter: Postgres jsonb stores keys in its own order.
    expect(await h.runtime.completeTask('acme', 'task-1', { response: { approved: true } })).toEqual(first);
    expect(await codeOf(h.runtime.completeTask('acme', 'task-1', { response: { approved: false } }))).toBe('TASK_ALREADY_COMPLETED');
    expect(h.db.calls.filter((c) => c.op === 'completeHumanTask')).toHaveLength(1);
  });

  it('lets two racing completions with the same response both succeed, handing it to the engine once', async () => {
    const { h } = await withTask();
    const results = await Promise.all([1, 2].map(() => h.runtime.completeTask('acme', 'task-1', { response: { approved: true } })));
    expect(results[0]).toEqual(results[1]);
    expect(h.db.calls.filter((c) => c.op === 'completeHumanTask')).toHaveLength(1);
  });

  it('keeps a completion the engine could not take (crash window): 200, the run is not stranded, the drainer hands it over once', async () => {
    const { h, runId } = await withTask('temporal');
    h.temporal.failures.completeHumanTask = new Error('connection reset');
    expect(await h.runtime.completeTask('acme', 'task-1', { response: { approved: true } })).toEqual({ taskId: 'task-1', runId, status: 'COMPLETED' });
    expect(await h.stores.tasks.get('acme', 'task-1')).toMatchObject({ status: 'COMPLETED', handoff: 'PENDING', response: { approved: true } });
    // Not due yet: the request that recorded it may still be handing it over.
    expect((await h.runtime.drainTaskHandoffs()).claimed).toBe(0);
    h.tick(11_000);
    expect(await h.runtime.drainTaskHandoffs()).toEqual({ claimed: 1, delivered: 1, reopened: 0, refused: 0, failed: [] });
    expect(h.temporal.calls.filter((c) => c.op === 'completeHumanTask').map((c) => c.arg)).toEqual([
      expect.objectContaining({ taskId: 'task-1', response: { approved: true } }),
      expect.objectContaining({ taskId: 'task-1', response: { approved: true } }),
    ]);
    expect(await h.stores.tasks.get('acme', 'task-1')).toMatchObject({ status: 'COMPLETED', handoff: 'DELIVERED' });
    h.tick(60_000);
    expect((await h.runtime.drainTaskHandoffs()).claimed).toBe(0);
  });

  it('retries a failing hand-off on later drains and records why it failed', async () => {
    const { h } = await withTask();
    h.db.failures.completeHumanTask = new Error('down');
    await h.runtime.completeTask('acme', 'task-1', { response: { approved: true } });
    h.tick(11_000);
    h.db.failures.completeHumanTask = new Error('still down');
    const failing = await h.runtime.drainTaskHandoffs();
    expect(failing).toMatchObject({ claimed: 1, delivered: 0, failed: [{ tenant: 'acme', taskId: 'task-1', code: 'ENGINE_DELIVERY_FAILED' }] });
    expect(await h.stores.tasks.get('acme', 'task-1')).toMatchObject({ handoff: 'PENDING', handoffAttempts: 1, handoffError: expect.stringContaining('still down') });
    // The claim is a lease: not due again until retryAfterMs passed.
    expect((await h.runtime.drainTaskHandoffs()).claimed).toBe(0);
    h.tick(16_000);
    expect(await h.runtime.drainTaskHandoffs()).toMatchObject({ claimed: 1, delivered: 1 });
  });

  it('a retry of the same response drives a pending hand-off at once', async () => {
    const { h } = await withTask();
    h.db.failures.completeHumanTask = new Error('down');
    await h.runtime.completeTask('acme', 'task-1', { response: { approved: true } });
    await h.runtime.completeTask('acme', 'task-1', { response: { approved: true } });
    expect(await h.stores.tasks.get('acme', 'task-1')).toMatchObject({ handoff: 'DELIVERED' });
    expect(h.db.calls.filter((c) => c.op === 'completeHumanTask')).toHaveLength(2);
  });

  it('reopens the task when the engine refuses the response itself', async () => {
    const { h } = await withTask();
    h.db.failures.completeHumanTask = new BatonError('VALIDATION_ERROR', 'the run refused the response');
    expect(await codeOf(h.runtime.completeTask('acme', 'task-1', { response: { approved: true } }))).toBe('VALIDATION_ERROR');
    expect(await h.stores.tasks.get('acme', 'task-1')).toMatchObject({ status: 'OPEN' });
    expect((await h.stores.tasks.get('acme', 'task-1'))!.response).toBeUndefined();
    expect((await h.stores.tasks.get('acme', 'task-1'))!.handoff).toBeUndefined();
    await h.runtime.completeTask('acme', 'task-1', { response: { approved: true } });
    expect((await h.stores.tasks.get('acme', 'task-1'))!.status).toBe('COMPLETED');
  });

  it('the drainer marks a hand-off REFUSED when the run no longer waits for the task', async () => {
    const { h } = await withTask();
    h.db.failures.completeHumanTask = new Error('down');
    await h.runtime.completeTask('acme', 'task-1', { response: { approved: true } });
    h.tick(11_000);
    h.db.failures.completeHumanTask = new BatonError('TASK_NOT_FOUND', 'task-1 is not open in the run');
    expect(await h.runtime.drainTaskHandoffs()).toMatchObject({ claimed: 1, refused: 1 });
    expect(await h.stores.tasks.get('acme', 'task-1')).toMatchObject({ status: 'COMPLETED', handoff: 'REFUSED', handoffError: expect.stringContaining('TASK_NOT_FOUND') });
  });

  it('a completion the run refuses because it closed the task first answers 409 TASK_ALREADY_CLOSED and the task shows the timeout', async () => {
    const { h, runId } = await withTask('temporal');
    h.temporal.failures.completeHumanTask = taskClosedBatonError('task-1', 'TIMED_OUT', runId);
    let thrown: unknown;
    try {
      await h.runtime.completeTask('acme', 'task-1', { response: { approved: true } });
    } catch (err) {
      thrown = err;
    }
    expect(isBatonError(thrown, 'TASK_ALREADY_CLOSED')).toBe(true);
    expect((thrown as BatonError).httpStatus).toBe(409);
    expect(toErrorBody(thrown).error).toMatchObject({ code: 'TASK_ALREADY_CLOSED', taskId: 'task-1', runId, status: 'CANCELED', closeReason: 'TIMED_OUT' });
    // Not reopened, not COMPLETED: what really happened.
    expect(await h.stores.tasks.get('acme', 'task-1')).toMatchObject({ status: 'CANCELED', closeReason: 'TIMED_OUT', handoff: 'REFUSED' });
    expect((await h.stores.tasks.get('acme', 'task-1'))!.response).toBeUndefined();
    // Any later completion gets the same answer.
    expect(await codeOf(h.runtime.completeTask('acme', 'task-1', { response: { approved: true } }))).toBe('TASK_ALREADY_CLOSED');
    expect((await h.runtime.listTasks('acme', { runId })).items[0]).toMatchObject({ status: 'CANCELED', closeReason: 'TIMED_OUT' });
  });

  it('a completion that lost to a run which finished meanwhile answers TASK_ALREADY_CLOSED, not the engine\'s not-found', async () => {
    const { h, runId } = await withTask('temporal');
    // The run's projection closed the task by its timeout while the completion was on its way.
    const engine = h.temporal;
    engine.failures.completeHumanTask = new BatonError('RUN_ALREADY_FINISHED', 'the workflow has completed');
    const base = h.stores.tasks.reopen.bind(h.stores.tasks);
    h.stores.tasks.reopen = async (tenant, taskId) => {
      await h.stores.tasks.close(tenant, taskId, '2026-01-01T00:00:01.000Z', 'TIMED_OUT');
      return base(tenant, taskId);
    };
    expect(await codeOf(h.runtime.completeTask('acme', 'task-1', { response: { approved: true } }))).toBe('TASK_ALREADY_CLOSED');
    expect(await h.stores.tasks.get('acme', 'task-1')).toMatchObject({ runId, status: 'CANCELED', closeReason: 'TIMED_OUT' });
  });

  it('the drainer closes a pending completion the run refused because it had closed the task', async () => {
    const { h } = await withTask();
    h.db.failures.completeHumanTask = new Error('down');
    await h.runtime.completeTask('acme', 'task-1', { response: { approved: true } });
    h.tick(11_000);
    h.db.failures.completeHumanTask = taskClosedBatonError('task-1', 'CANCELED');
    expect(await h.runtime.drainTaskHandoffs()).toMatchObject({ claimed: 1, refused: 1, reopened: 0 });
    expect(await h.stores.tasks.get('acme', 'task-1')).toMatchObject({ status: 'CANCELED', closeReason: 'CANCELED', handoff: 'REFUSED' });
  });

  it('answers TASK_NOT_FOUND for a missing task and for another tenant', async () => {
    const { h } = await withTask();
    expect(await codeOf(h.runtime.completeTask('acme', 'nope', { response: {} }))).toBe('TASK_NOT_FOUND');
    expect(await codeOf(h.runtime.completeTask('globex', 'task-1', { response: { approved: true } }))).toBe('TASK_NOT_FOUND');
  });
});
