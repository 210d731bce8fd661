import { describe, expect, it } from 'vitest';
import { isBatonError, toErrorBody } from '../errors/baton-error.js';
import { createHarness, definition } from './__fixtures__/runtime-harness.js';

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

  it('lets only one of two racing completions through', async () => {
    const { h } = await withTask();
    const results = await Promise.allSettled([
      h.runtime.completeTask('acme', 'task-1', { response: { approved: true } }),
      h.runtime.completeTask('acme', 'task-1', { response: { approved: false } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(h.db.calls.filter((c) => c.op === 'completeHumanTask')).toHaveLength(1);
  });

  it('reopens the task when the engine refuses the completion', async () => {
    const { h } = await withTask();
    h.db.failures.completeHumanTask = new Error('lease lost');
    expect(await codeOf(h.runtime.completeTask('acme', 'task-1', { response: { approved: true } }))).toBe('ENGINE_DELIVERY_FAILED');
    expect(await h.stores.tasks.get('acme', 'task-1')).toMatchObject({ status: 'OPEN' });
    expect((await h.stores.tasks.get('acme', 'task-1'))!.response).toBeUndefined();
    await h.runtime.completeTask('acme', 'task-1', { response: { approved: true } });
    expect((await h.stores.tasks.get('acme', 'task-1'))!.status).toBe('COMPLETED');
  });

  it('answers TASK_NOT_FOUND for a missing task and for another tenant', async () => {
    const { h } = await withTask();
    expect(await codeOf(h.runtime.completeTask('acme', 'nope', { response: {} }))).toBe('TASK_NOT_FOUND');
    expect(await codeOf(h.runtime.completeTask('globex', 'task-1', { response: { approved: true } }))).toBe('TASK_NOT_FOUND');
  });
});
