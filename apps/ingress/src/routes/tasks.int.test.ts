import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HumanTaskView, RunView } from '@baton/event-schemas';
import { createRuntime, TASK_HANDOFF_DEFAULTS } from '@baton/runtime-core';
import { approval } from '../__fixtures__/definitions.js';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { waitFor } from '../__fixtures__/wait-for.js';

let h: IngressHarness;
let a: TenantClient;
let b: TenantClient;

beforeAll(async () => {
  h = await createIngressHarness('tasks', { engines: 'both' });
  a = tenantClient(h.app, TENANT_A);
  b = tenantClient(h.app, TENANT_B);
  expect((await a.post('/v1/workflows', approval)).statusCode).toBe(201);
});
afterAll(async () => h?.close());

async function openTask(engine: 'db' | 'temporal'): Promise<{ runId: string; task: HumanTaskView }> {
  const res = await a.post('/v1/runs', { workflow: 'ops.approval', input: { what: `budget-${engine}` }, engine });
  expect(res.statusCode, res.body).toBe(201);
  const { runId } = res.json() as { runId: string };
  const list = await waitFor(
    () => a.get(`/v1/tasks?runId=${runId}`).then((r) => r.json() as { items: HumanTaskView[] }),
    (l) => l.items.length === 1,
    { timeoutMs: 20_000, intervalMs: 50 },
  );
  return { runId, task: list.items[0]! };
}

describe.each(['db', 'temporal'] as const)('human tasks on the %s engine', (engine) => {
  it('lists the open task, refuses an invalid response and another tenant, completes once, and the run resumes', async () => {
    const { runId, task } = await openTask(engine);
    expect(task).toMatchObject({ runId, stepId: 'approve', taskType: 'approval', title: `Approve budget-${engine}`, status: 'OPEN', formSchema: expect.any(Object) });
    const open = (await a.get('/v1/tasks?status=OPEN')).json() as { items: HumanTaskView[] };
    expect(open.items.map((t) => t.taskId)).toContain(task.taskId);

    // Tenant B: not listed, not completable (404 like a missing task), and nothing changes.
    expect(((await b.get('/v1/tasks')).json() as { items: unknown[] }).items).toEqual([]);
    expect(((await b.get(`/v1/tasks?runId=${runId}`)).json() as { items: unknown[] }).items).toEqual([]);
    const foreign = await b.post(`/v1/tasks/${task.taskId}/complete`, { response: { approved: true } });
    const missingId = `missing-${randomUUID()}`;
    const missing = await b.post(`/v1/tasks/${missingId}/complete`, { response: { approved: true } });
    expect(foreign.statusCode).toBe(404);
    expect(JSON.stringify(foreign.json()).replaceAll(task.taskId, 'ID')).toBe(JSON.stringify(missing.json()).replaceAll(missingId, 'ID'));

    const invalid = await a.post(`/v1/tasks/${task.taskId}/complete`, { response: { approved: 'yes' } });
    expect(invalid.statusCode).toBe(400);
    expect(errorOf(invalid)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [expect.objectContaining({ path: 'response.approved' })] });
    expect(((await a.get(`/v1/tasks?runId=${runId}`)).json() as { items: HumanTaskView[] }).items[0]?.status).toBe('OPEN');

    const done = await a.post(`/v1/tasks/${task.taskId}/complete`, { response: { approved: true }, completedBy: 'alice' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ taskId: task.taskId, runId, status: 'COMPLETED' });

    const twice = await a.post(`/v1/tasks/${task.taskId}/complete`, { response: { approved: false } });
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('TASK_ALREADY_COMPLETED');

    const run = await waitFor(() => a.get(`/v1/runs/${runId}`).then((r) => r.json() as RunView), (r) => r.status === 'SUCCEEDED', { timeoutMs: 20_000 });
    expect(run.output).toEqual({ approved: true });
    const completed = (await a.get(`/v1/tasks?runId=${runId}&status=COMPLETED`)).json() as { items: HumanTaskView[] };
    expect(completed.items).toEqual([expect.objectContaining({ taskId: task.taskId, status: 'COMPLETED', response: { approved: true }, completedBy: 'alice' })]);
  });

  it('records the tenant as completedBy when none is given', async () => {
    const { runId, task } = await openTask(engine);
    expect((await a.post(`/v1/tasks/${task.taskId}/complete`, { response: { approved: false } })).statusCode).toBe(200);
    const list = (await a.get(`/v1/tasks?runId=${runId}`)).json() as { items: HumanTaskView[] };
    expect(list.items[0]).toMatchObject({ status: 'COMPLETED', completedBy: TENANT_A.tenant });
  });
});

it('answers an unknown task 404 TASK_NOT_FOUND and a bad status filter 400', async () => {
  const res = await a.post('/v1/tasks/nope/complete', { response: {} });
  expect(res.statusCode).toBe(404);
  expect(errorOf(res).code).toBe('TASK_NOT_FOUND');
  const bad = await a.get('/v1/tasks?status=DONE');
  expect(bad.statusCode).toBe(400);
  expect(errorOf(bad)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [expect.objectContaining({ path: 'query.status' })] });
});

describe('crash-safe completion (the hand-off outbox)', () => {
  it('a completion recorded while the engine hand-off fails is delivered by the drainer; the run finishes; retries are idempotent', async () => {
    // The process that takes the completion loses its engine between recording and handing off
    // (a crash, a dropped connection): its Postgres engine throws once on completeHumanTask.
    let failNext = true;
    const base = h.engines!.db;
    const flakyDb = Object.create(base) as typeof base;
    flakyDb.completeHumanTask = async (run, task) => {
      if (failNext) {
        failNext = false;
        throw new Error('connection terminated unexpectedly');
      }
      return base.completeHumanTask(run, task);
    };
    const wired = { ...h.stores, engines: { db: flakyDb, temporal: h.engines!.temporal } };
    const crashing = createRuntime(wired);
    const { runId, task } = await openTask('db');
    expect(await crashing.completeTask(TENANT_A.tenant, task.taskId, { response: { approved: true } })).toEqual({ taskId: task.taskId, runId, status: 'COMPLETED' });
    expect(await h.stores.tasks.get(TENANT_A.tenant, task.taskId)).toMatchObject({ status: 'COMPLETED', handoff: 'PENDING' });
    expect(((await a.get(`/v1/runs/${runId}`)).json() as RunView).status).toBe('WAITING');

    // Before the fix a retry answered 409 and the run stayed stranded; now the same response is 200 and another is 409.
    const again = await a.post(`/v1/tasks/${task.taskId}/complete`, { response: { approved: true } });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ taskId: task.taskId, runId, status: 'COMPLETED' });
    const other = await a.post(`/v1/tasks/${task.taskId}/complete`, { response: { approved: false } });
    expect(other.statusCode).toBe(409);
    expect(errorOf(other).code).toBe('TASK_ALREADY_COMPLETED');
    const run = await waitFor(() => a.get(`/v1/runs/${runId}`).then((r) => r.json() as RunView), (r) => r.status === 'SUCCEEDED', { timeoutMs: 20_000 });
    expect(run.output).toEqual({ approved: true });
    expect(await h.stores.tasks.get(TENANT_A.tenant, task.taskId)).toMatchObject({ handoff: 'DELIVERED' });
  });

  it('with no retry at all, the drainer of another process delivers the stranded completion', async () => {
    const base = h.engines!.db;
    const deadEngine = Object.create(base) as typeof base;
    deadEngine.completeHumanTask = async () => {
      throw new Error('process killed');
    };
    const crashing = createRuntime({ ...h.stores, engines: { db: deadEngine } });
    const { runId, task } = await openTask('db');
    await crashing.completeTask(TENANT_A.tenant, task.taskId, { response: { approved: false } });
    // A second process whose drain sees the entry due (its clock past the grace period).
    const recovering = createRuntime({ ...h.stores, engines: { db: h.engines!.db }, clock: () => new Date(Date.now() + TASK_HANDOFF_DEFAULTS.graceMs + 1_000) });
    const drained = await recovering.drainTaskHandoffs();
    expect(drained).toMatchObject({ delivered: expect.any(Number), failed: [] });
    expect(drained.delivered).toBeGreaterThanOrEqual(1);
    const run = await waitFor(() => a.get(`/v1/runs/${runId}`).then((r) => r.json() as RunView), (r) => r.status === 'SUCCEEDED', { timeoutMs: 20_000 });
    expect(run.output).toEqual({ approved: false });
  });
});
