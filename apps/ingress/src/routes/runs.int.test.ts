import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_WAIT_MESSAGE, type RunView } from '@baton/event-schemas';
import { workflowIdForRun } from '@baton/temporal-adapter';
import { approval, flakyOnce, waitForPayment } from '../__fixtures__/definitions.js';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { waitFor } from '../__fixtures__/wait-for.js';

let h: IngressHarness;
let a: TenantClient;
let b: TenantClient;

beforeAll(async () => {
  h = await createIngressHarness('runs', { engines: 'both' });
  a = tenantClient(h.app, TENANT_A);
  b = tenantClient(h.app, TENANT_B);
  for (const definition of [waitForPayment(), flakyOnce, approval]) expect((await a.post('/v1/workflows', definition)).statusCode).toBe(201);
});
afterAll(async () => h?.close());

async function start(engine: 'db' | 'temporal', workflow: string, input: unknown, executionKey?: string): Promise<string> {
  const res = await a.post('/v1/runs', { workflow, input, engine, ...(executionKey ? { executionKey } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { runId: string }).runId;
}

function runOf(runId: string, client: TenantClient = a): Promise<RunView> {
  return client.get(`/v1/runs/${runId}`).then((res) => res.json() as RunView);
}

function untilStatus(runId: string, status: RunView['status'], timeoutMs = 20_000): Promise<RunView> {
  return waitFor(() => runOf(runId), (run) => run.status === status, { timeoutMs, intervalMs: 50 });
}

/** A tenant-B request for A's object must answer exactly what a missing object answers. */
async function expectSameAsMissing(send: (id: string) => Promise<{ statusCode: number; json(): unknown }>, existingId: string) {
  const missingId = `missing-${randomUUID()}`;
  const foreign = await send(existingId);
  const missing = await send(missingId);
  expect(foreign.statusCode).toBe(404);
  expect(JSON.stringify(foreign.json()).replaceAll(existingId, 'ID')).toBe(JSON.stringify(missing.json()).replaceAll(missingId, 'ID'));
}

describe.each(['db', 'temporal'] as const)('runs on the %s engine', (engine) => {
  let waitingRun: string;

  it('starts a run (201), and answers the same executionKey with the same run (200)', async () => {
    const key = `order-${randomUUID()}`;
    const first = await a.post('/v1/runs', { workflow: 'billing.wait-payment', input: { invoiceId: `inv-${engine}-1` }, executionKey: key, engine });
    expect(first.statusCode).toBe(201);
    const run = first.json() as { runId: string };
    expect(run).toEqual({ runId: expect.any(String), workflow: 'billing.wait-payment', version: '1.0.0', engine, status: expect.stringMatching(/RUNNING|WAITING/) });
    const again = await a.post('/v1/runs', { workflow: 'billing.wait-payment', input: { invoiceId: `inv-${engine}-1` }, executionKey: key, engine });
    expect(again.statusCode).toBe(200);
    expect((again.json() as { runId: string }).runId).toBe(run.runId);
    waitingRun = run.runId;
  });

  it('shows the run with its open wait, and lists its steps', async () => {
    const run = await untilStatus(waitingRun, 'WAITING');
    expect(run).toMatchObject({ runId: waitingRun, workflow: 'billing.wait-payment', version: '1.0.0', engine, input: { invoiceId: `inv-${engine}-1` } });
    expect(run.waits).toEqual([expect.objectContaining({ type: 'EVENT', stepId: 'wait', eventName: 'PAID', correlationKey: `inv-${engine}-1` })]);
    expect(run.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const steps = await a.get(`/v1/runs/${waitingRun}/steps`);
    expect(steps.statusCode).toBe(200);
    expect((steps.json() as { items: Array<{ stepId: string; status: string }> }).items).toEqual([expect.objectContaining({ stepId: 'wait', status: 'WAITING', attempt: 1, path: 'wait' })]);
  });

  it("hides the run from another tenant: read, steps, cancel, retry and resume answer 404 like a missing run, and change nothing", async () => {
    await expectSameAsMissing((id) => b.get(`/v1/runs/${id}`), waitingRun);
    await expectSameAsMissing((id) => b.get(`/v1/runs/${id}/steps`), waitingRun);
    await expectSameAsMissing((id) => b.post(`/v1/runs/${id}/cancel`, { reason: 'not mine' }), waitingRun);
    await expectSameAsMissing((id) => b.post(`/v1/runs/${id}/retry`, { reason: 'not mine' }), waitingRun);
    await expectSameAsMissing((id) => b.post(`/v1/runs/${id}/resume`, { reason: 'not mine', response: {} }), waitingRun);
    const list = (await b.get(`/v1/runs?engine=${engine}`)).json() as { items: Array<{ runId: string }> };
    expect(list.items.map((r) => r.runId)).not.toContain(waitingRun);
    expect((await runOf(waitingRun)).status).toBe('WAITING');
  });

  it('cancels a waiting run (200 CANCELED) and refuses to cancel it again (409 RUN_ALREADY_FINISHED)', async () => {
    const res = await a.post(`/v1/runs/${waitingRun}/cancel`, { reason: 'customer left' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ status: 'CANCELED' });
    const run = await runOf(waitingRun);
    // the same run error on both engines
    expect(run).toMatchObject({ status: 'CANCELED', waits: [], error: { category: 'Canceled', code: 'RUN_CANCELED', message: 'customer left' } });
    const again = await a.post(`/v1/runs/${waitingRun}/cancel`, { reason: 'twice' });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again)).toMatchObject({ code: 'RUN_ALREADY_FINISHED' });
    if (engine === 'temporal') {
      // Temporal accepted the cancel request; the workflow then ends as cancelled.
      const handle = h.engines!.client.workflow.getHandle(workflowIdForRun(waitingRun));
      await waitFor(() => handle.describe(), (d) => d.status.name === 'CANCELLED', { timeoutMs: 10_000 });
    }
  });

  it('GET ?wait answers when the run finishes, with its output; a wait that runs out answers the current state', async () => {
    const invoiceId = `inv-wait-${engine}-${randomUUID()}`;
    const runId = await start(engine, 'billing.wait-payment', { invoiceId });
    await untilStatus(runId, 'WAITING');
    const began = performance.now();
    const timedOut = await a.get(`/v1/runs/${runId}?wait=300`);
    expect(performance.now() - began).toBeGreaterThanOrEqual(290);
    expect(timedOut.statusCode).toBe(200);
    expect(timedOut.json()).toMatchObject({ runId, status: 'WAITING', waits: [expect.objectContaining({ eventName: 'PAID' })] });

    const waiting = a.get(`/v1/runs/${runId}?wait=30000`);
    const other = b.get(`/v1/runs/${runId}?wait=30000`);
    expect((await other).statusCode).toBe(404); // another tenant's run: at once, like a missing one
    const event = await a.post('/v1/events', { eventId: `e-${randomUUID()}`, eventName: 'PAID', correlationKey: invoiceId, payload: { amount: 7 } });
    expect(event.statusCode, event.body).toBe(202);
    const done = await waiting;
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ runId, status: 'SUCCEEDED', output: { amount: 7 }, waits: [] });
  });

  it('POST /v1/runs with wait answers 200 with the finished run, or 201 as without wait when it does not finish in time', async () => {
    const quick = await a.post('/v1/runs', { workflow: 'ops.flaky-once', input: {}, engine, wait: 30_000 });
    expect(quick.statusCode, quick.body).toBe(200);
    expect(quick.json()).toMatchObject({ workflow: 'ops.flaky-once', engine, status: 'FAILED', input: {}, error: { category: 'TransientError' }, waits: [], completedAt: expect.any(String) });
    const slow = await a.post('/v1/runs', { workflow: 'billing.wait-payment', input: { invoiceId: `inv-${randomUUID()}` }, engine, wait: 200 });
    expect(slow.statusCode, slow.body).toBe(201);
    expect(slow.json()).toEqual({ runId: expect.any(String), workflow: 'billing.wait-payment', version: '1.0.0', engine, status: expect.stringMatching(/RUNNING|WAITING/) });
  });

  it('answers retry of a run that is not failed: RUN_NOT_FAILED (db) or WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED (temporal)', async () => {
    const runId = await start(engine, 'billing.wait-payment', { invoiceId: `inv-${randomUUID()}` });
    await untilStatus(runId, 'WAITING');
    const res = await a.post(`/v1/runs/${runId}/retry`, { reason: 'try again' });
    expect(res.statusCode).toBe(409);
    if (engine === 'db') expect(errorOf(res).code).toBe('RUN_NOT_FAILED');
    else expect(errorOf(res)).toEqual({ code: 'WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED', message: expect.any(String), action: 'retry', engine: 'temporal', runId, hint: expect.any(String) });
  });
});

describe('run control on the Postgres engine', () => {
  it('retries a failed run from its failed step, continuing the attempt count', async () => {
    const runId = await start('db', 'ops.flaky-once', {});
    const failed = await untilStatus(runId, 'FAILED');
    expect(failed.error).toMatchObject({ category: 'TransientError', stepId: 'flaky' });
    const res = await a.post(`/v1/runs/${runId}/retry`, { reason: 'downstream fixed' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ runId, status: expect.stringMatching(/RUNNING|SUCCEEDED/) });
    const done = await untilStatus(runId, 'SUCCEEDED');
    expect(done.output).toEqual({ attempts: 2 });
    const steps = (await a.get(`/v1/runs/${runId}/steps`)).json() as { items: Array<{ stepId: string; attempt: number; status: string }> };
    expect(steps.items.find((s) => s.stepId === 'flaky')).toMatchObject({ attempt: 2, status: 'SUCCEEDED' });
  });

  it('resumes the current wait with the operator response', async () => {
    const runId = await start('db', 'billing.wait-payment', { invoiceId: `inv-${randomUUID()}` });
    await untilStatus(runId, 'WAITING');
    const res = await a.post(`/v1/runs/${runId}/resume`, { reason: 'paid by phone', response: { amount: 12 } });
    expect(res.statusCode, res.body).toBe(200);
    const done = await untilStatus(runId, 'SUCCEEDED');
    expect(done.output).toEqual({ amount: 12 });
  });

  it('answers resume of a finished run 409 RUN_ALREADY_FINISHED', async () => {
    const runId = await start('db', 'billing.wait-payment', { invoiceId: `inv-${randomUUID()}` });
    await untilStatus(runId, 'WAITING');
    expect((await a.post(`/v1/runs/${runId}/cancel`, { reason: 'done' })).statusCode).toBe(200);
    const res = await a.post(`/v1/runs/${runId}/resume`, { reason: 'too late' });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('RUN_ALREADY_FINISHED');
  });
});

describe('run control on the Temporal engine', () => {
  it('refuses retry of a failed run and resume of a waiting run before changing anything', async () => {
    const failedRun = await start('temporal', 'ops.flaky-once', {});
    await untilStatus(failedRun, 'FAILED');
    const stepsBefore = (await a.get(`/v1/runs/${failedRun}/steps`)).body;
    const retry = await a.post(`/v1/runs/${failedRun}/retry`, { reason: 'please' });
    expect(retry.statusCode).toBe(409);
    expect(errorOf(retry)).toMatchObject({ code: 'WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED', action: 'retry', engine: 'temporal', runId: failedRun });
    expect((await runOf(failedRun)).status).toBe('FAILED');
    expect((await a.get(`/v1/runs/${failedRun}/steps`)).body).toBe(stepsBefore);

    const waitingRun = await start('temporal', 'billing.wait-payment', { invoiceId: `inv-${randomUUID()}` });
    const before = await untilStatus(waitingRun, 'WAITING');
    const resume = await a.post(`/v1/runs/${waitingRun}/resume`, { reason: 'please', response: { amount: 1 } });
    expect(resume.statusCode).toBe(409);
    expect(errorOf(resume)).toMatchObject({ code: 'WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED', action: 'resume', engine: 'temporal', runId: waitingRun, hint: expect.stringContaining('/v1/events') });
    expect(await runOf(waitingRun)).toEqual(before);
    const description = await h.engines!.client.workflow.getHandle(workflowIdForRun(waitingRun)).describe();
    expect(description.status.name).toBe('RUNNING');
  });

  it('Temporal is the authority: a run that completed before the cancel applied answers 409 RUN_ALREADY_FINISHED, never CANCELED', async () => {
    const invoiceId = `inv-${randomUUID()}`;
    const runId = await start('temporal', 'billing.wait-payment', { invoiceId });
    await untilStatus(runId, 'WAITING');
    // The workflow completes; its projection has not caught up yet (the window a cancel can fall into).
    await h.engines!.client.workflow.getHandle(workflowIdForRun(runId)).signal('baton.event', { eventId: `ev-${randomUUID()}`, eventName: 'PAID', correlationKey: invoiceId, payload: { n: 1 } });
    await waitFor(() => h.engines!.client.workflow.getHandle(workflowIdForRun(runId)).describe(), (d) => d.status.name === 'COMPLETED', { timeoutMs: 20_000 });
    await h.db.pool.query(`UPDATE "${h.db.schema}".workflow_runs SET status = 'WAITING', completed_at = NULL WHERE run_id = $1`, [runId]);
    const res = await a.post(`/v1/runs/${runId}/cancel`, { reason: 'too late' });
    expect(res.statusCode, res.body).toBe(409);
    expect(errorOf(res)).toMatchObject({ code: 'RUN_ALREADY_FINISHED', runId, status: 'SUCCEEDED' });
    expect((await runOf(runId)).status).not.toBe('CANCELED');
  });

  it('asks Temporal first: when Temporal refuses the cancel, 409 WORKFLOW_TEMPORAL_CANCEL_FAILED and the projection is unchanged', async () => {
    const runId = await start('temporal', 'billing.wait-payment', { invoiceId: `inv-${randomUUID()}` });
    const before = await untilStatus(runId, 'WAITING');
    // Terminated behind Baton's back: Temporal has no running workflow to cancel, the projection still says WAITING.
    await h.engines!.client.workflow.getHandle(workflowIdForRun(runId)).terminate('operator terminated it in the Temporal UI');
    const res = await a.post(`/v1/runs/${runId}/cancel`, { reason: 'cleanup' });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res)).toMatchObject({ code: 'WORKFLOW_TEMPORAL_CANCEL_FAILED', runId });
    expect(await runOf(runId)).toEqual(before);
    const tasks = (await a.get(`/v1/tasks?runId=${runId}`)).json() as { items: unknown[] };
    expect(tasks.items).toEqual([]);
  });
});

describe('starting and listing runs', () => {
  it('refuses a wait over 60000 ms or not a whole number with 400', async () => {
    const runId = await start('db', 'billing.wait-payment', { invoiceId: `inv-${randomUUID()}` });
    for (const wait of ['60001', '-1', 'soon', '1.5']) {
      const res = await a.get(`/v1/runs/${runId}?wait=${wait}`);
      expect(res.statusCode, wait).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [expect.objectContaining({ path: 'query.wait', message: RUN_WAIT_MESSAGE })] });
    }
    for (const wait of [60_001, 'soon']) {
      const post = await a.post('/v1/runs', { workflow: 'billing.wait-payment', input: { invoiceId: 'x' }, wait });
      expect(post.statusCode).toBe(400);
      expect(errorOf(post)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [expect.objectContaining({ path: 'wait', message: RUN_WAIT_MESSAGE })] });
    }
  });

  it('answers invalid input 400 with issues under input, and an unknown workflow 404', async () => {
    const invalid = await a.post('/v1/runs', { workflow: 'billing.wait-payment', input: { invoiceId: 42 }, engine: 'db' });
    expect(invalid.statusCode).toBe(400);
    expect(errorOf(invalid)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [expect.objectContaining({ path: 'input.invoiceId' })] });
    const unknown = await a.post('/v1/runs', { workflow: 'no.such-workflow', input: {} });
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown).code).toBe('WORKFLOW_NOT_FOUND');
  });

  it('answers an input no store can keep (a lone UTF-16 surrogate) 400 with its path; the starts sent with it are stored', async () => {
    const inputs = Array.from({ length: 8 }, (_, i) => ({ invoiceId: i === 3 ? 'inv-\ud800' : `inv-${randomUUID()}` }));
    const answers = await Promise.all(inputs.map((input) => a.post('/v1/runs', { workflow: 'billing.wait-payment', input, engine: 'db' })));
    expect(answers[3]!.statusCode, answers[3]!.body).toBe(400);
    expect(errorOf(answers[3]!)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [expect.objectContaining({ path: 'input.invoiceId', code: 'LONE_SURROGATE' })] });
    for (const [i, res] of answers.entries()) {
      if (i === 3) continue;
      expect(res.statusCode, res.body).toBe(201);
      await untilStatus((res.json() as { runId: string }).runId, 'WAITING');
    }
  });

  it("does not let another tenant start a tenant's workflow", async () => {
    const res = await b.post('/v1/runs', { workflow: 'ops.approval', input: { what: 'x' } });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('WORKFLOW_NOT_FOUND');
  });

  it('lists runs newest first, filtered by workflow, status and engine, paged by cursor, per tenant', async () => {
    const ids = [await start('db', 'ops.approval', { what: 'one' }), await start('temporal', 'ops.approval', { what: 'two' }), await start('db', 'ops.approval', { what: 'three' })];
    const all = (await a.get('/v1/runs?workflow=ops.approval')).json() as { items: Array<{ runId: string; engine: string }>; nextCursor: string | null };
    expect(all.items.map((r) => r.runId)).toEqual([...ids].reverse());
    expect(all.nextCursor).toBeNull();

    const dbOnly = (await a.get('/v1/runs?workflow=ops.approval&engine=db')).json() as { items: Array<{ runId: string }> };
    expect(dbOnly.items.map((r) => r.runId)).toEqual([ids[2], ids[0]]);

    const page1 = (await a.get('/v1/runs?workflow=ops.approval&limit=2')).json() as { items: Array<{ runId: string }>; nextCursor: string };
    expect(page1.items.map((r) => r.runId)).toEqual([ids[2], ids[1]]);
    const page2 = (await a.get(`/v1/runs?workflow=ops.approval&limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`)).json() as {
      items: Array<{ runId: string }>;
      nextCursor: string | null;
    };
    expect(page2.items.map((r) => r.runId)).toEqual([ids[0]]);
    expect(page2.nextCursor).toBeNull();

    await untilStatus(ids[0]!, 'WAITING');
    const waiting = (await a.get('/v1/runs?workflow=ops.approval&status=WAITING')).json() as { items: Array<{ runId: string; status: string }> };
    expect(waiting.items.map((r) => r.runId)).toContain(ids[0]);
    expect(waiting.items.every((r) => r.status === 'WAITING')).toBe(true);

    const other = (await b.get('/v1/runs')).json() as { items: unknown[]; nextCursor: null };
    expect(other).toEqual({ items: [], nextCursor: null });
  });

  it("refuses a cursor that is no nextCursor of the tenant's runs with 400 INVALID_CURSOR, instead of an empty last page", async () => {
    const foreign = (await b.post('/v1/workflows', { name: 'b.cursor', version: '1.0.0', steps: [{ id: 'done', type: 'control.return', output: {} }] })).statusCode;
    expect([200, 201]).toContain(foreign);
    const started = await b.post('/v1/runs', { workflow: 'b.cursor', input: {}, engine: 'db' });
    expect(started.statusCode).toBe(201);
    const foreignRunId = (started.json() as { runId: string }).runId;
    for (const cursor of ['not-a-cursor', foreignRunId]) {
      const res = await a.get(`/v1/runs?cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path: 'cursor', code: 'INVALID_CURSOR' }] });
    }
  });
});
