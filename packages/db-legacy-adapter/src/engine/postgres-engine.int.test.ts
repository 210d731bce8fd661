import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBatonError, MAX_BACK_TO_BACK_GENERATIONS } from '@baton/runtime-core';
import { createEngineHarness, echoSteps, runRows, workflow, type EngineHarness } from '../__fixtures__/engine-harness.js';
import { createTestActions, type TestActions } from '../__fixtures__/test-actions.js';
import { createPostgresEngine } from './postgres-engine.js';

let h: EngineHarness;
let actions: TestActions;
beforeAll(async () => {
  actions = createTestActions();
  h = await createEngineHarness('engine', actions.registry, { awkward: true });
});
afterAll(async () => h?.close());

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function statusOf(runId: string): Promise<string | undefined> {
  return (await h.stores.runs.get(h.tenant, runId))?.status;
}

const waitingFor = (runId: string) => waitFor(`run ${runId} WAITING`, async () => ((await statusOf(runId)) === 'WAITING' ? true : undefined));

describe('running workflows', () => {
  it('runs a workflow of actions to SUCCEEDED with one step row per step', async () => {
    const def = workflow('flow.echo', [...echoSteps(3), { id: 'out', type: 'control.return', output: { $expr: 'vars.s3.step' } }]);
    const run = await h.start(def, { hello: 'world' });
    const done = await h.engine.awaitRun(run);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: 3, engine: 'db' });
    const steps = await h.stores.runs.listSteps(h.tenant, run.runId);
    expect(steps.map((s) => [s.stepId, s.status, s.attempt])).toEqual([
      ['s1', 'SUCCEEDED', 1],
      ['s2', 'SUCCEEDED', 1],
      ['s3', 'SUCCEEDED', 1],
      ['out', 'SUCCEEDED', 1],
    ]);
    const row = await h.t.db.selectFrom('workflow_runs').select(['lease_owner', 'wake_at', 'completed_at']).where('run_id', '=', run.runId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ lease_owner: null, wake_at: null });
    expect(row.completed_at).toBeInstanceOf(Date);
  });

  it('is idempotent on start: the same run id or execution key gives the same run', async () => {
    const def = workflow('flow.start-once', echoSteps(1));
    const a = await h.start(def, 1, { executionKey: 'order-7' });
    const b = await h.start(def, 2, { executionKey: 'order-7' });
    expect(b.runId).toBe(a.runId);
    const c = await h.start(def, 3, { runId: a.runId });
    expect(c.runId).toBe(a.runId);
    expect((await h.engine.awaitRun(a)).input).toBe(1);
  });

  it('starts a run whose row the run store created first (the run service path), with or without a free local slot', async () => {
    const def = workflow('flow.via-store', echoSteps(1));
    const { hash } = await h.publish(def);
    for (const runId of ['store-1', 'store-2']) {
      await h.stores.runs.create(h.tenant, { runId, workflow: def.name, version: def.version, definitionHash: hash, engine: 'db', status: 'RUNNING', input: runId, executionKey: null, runKey: runId, createdAt: new Date().toISOString() });
    }
    const idle = createPostgresEngine({ pool: h.t.pool, schema: h.t.schema, actions: actions.registry });
    // a process without a worker marks the row runnable and notifies; the harness worker claims it
    const viaNotify = await idle.start({ tenant: h.tenant, runId: 'store-1', workflow: { name: def.name, version: def.version, hash }, definition: def, input: 'store-1', executionKey: null, runKey: 'store-1', startedAt: new Date().toISOString() });
    const adopted = await h.engine.start({ tenant: h.tenant, runId: 'store-2', workflow: { name: def.name, version: def.version, hash }, definition: def, input: 'store-2', executionKey: null, runKey: 'store-2', startedAt: new Date().toISOString() });
    expect((await h.engine.awaitRun(viaNotify)).output).toEqual({ s1: { step: 1, run: 'store-1' } });
    expect((await h.engine.awaitRun(adopted)).output).toEqual({ s1: { step: 1, run: 'store-2' } });
  });

  it('refuses to start a run whose definition differs from the one stored under its version', async () => {
    const def = workflow('flow.drift', echoSteps(1));
    await h.publish(def);
    const other = workflow('flow.drift', echoSteps(2));
    await expect(
      h.engine.start({ tenant: h.tenant, runId: 'drift-1', workflow: { name: other.name, version: other.version, hash: 'other-hash' }, definition: other, input: null, executionKey: null, runKey: 'drift-1', startedAt: new Date().toISOString() }),
    ).rejects.toSatisfy((e) => isBatonError(e, 'WORKFLOW_VERSION_EXISTS'));
    expect(await h.stores.runs.get(h.tenant, 'drift-1')).toBeUndefined();
  });

  it('retries a transient failure after its back-off and records the attempts', async () => {
    const def = workflow('flow.flaky', [
      { id: 'f', type: 'action.call', action: 'test.flaky', actionVersion: 1, input: { failTimes: 2 }, saveAs: 'vars.f', retry: { maxAttempts: 3, backoffMs: 50 } },
    ]);
    const run = await h.start(def, null);
    const done = await h.engine.awaitRun(run);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: { f: { attempts: 3 } } });
    expect((await h.stores.runs.listSteps(h.tenant, run.runId))[0]).toMatchObject({ stepId: 'f', status: 'SUCCEEDED', attempt: 3 });
  });

  it('sleeps on short timers in-process and on long ones through wake_at', async () => {
    const def = workflow('flow.sleep', [
      { id: 'short', type: 'time.wait', durationMs: 100 },
      { id: 'long', type: 'time.wait', durationMs: 1500 },
      { id: 'out', type: 'control.return', output: 'woke' },
    ]);
    const started = Date.now();
    const run = await h.start(def, null);
    const waiting = await waitFor('the long timer row', async () =>
      h.t.db.selectFrom('workflow_run_waits').selectAll().where('run_id', '=', run.runId).where('wait_type', '=', 'TIMER').where('step_id', '=', 'long').where('status', '=', 'WAITING').executeTakeFirst(),
    );
    expect(waiting.due_at).toBeInstanceOf(Date);
    const row = await h.t.db.selectFrom('workflow_runs').select(['wake_at', 'lease_owner', 'status']).where('run_id', '=', run.runId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ lease_owner: null, status: 'WAITING' });
    expect(row.wake_at?.getTime()).toBe(waiting.due_at?.getTime());
    expect(await h.engine.awaitRun(run)).toMatchObject({ status: 'SUCCEEDED', output: 'woke' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1600);
    const waits = await h.stores.waits.listForRun(h.tenant, run.runId);
    expect(waits.map((w) => [w.stepId, w.type, w.status])).toEqual([
      ['short', 'TIMER', 'RESOLVED'],
      ['long', 'TIMER', 'RESOLVED'],
    ]);
  });

  it('runs a child workflow and continues with its output', async () => {
    const child = workflow('flow.child', [{ id: 'c', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { got: { $expr: 'input' } }, saveAs: 'vars.c' }]);
    await h.publish(child);
    const parent = workflow('flow.parent', [
      { id: 'call', type: 'control.callWorkflow', workflow: 'flow.child', version: '^1.0.0', input: { $expr: 'input.x' }, saveAs: 'vars.child' },
      { id: 'out', type: 'control.return', output: { $expr: 'vars.child.c.got' } },
    ]);
    const run = await h.start(parent, { x: 42 });
    expect(await h.engine.awaitRun(run)).toMatchObject({ status: 'SUCCEEDED', output: 42 });
    const children = await h.t.db.selectFrom('workflow_runs').select(['run_id', 'status', 'parent_run_id']).where('parent_run_id', '=', run.runId).execute();
    expect(children).toHaveLength(1);
    expect(children[0]!.status).toBe('SUCCEEDED');
  });

  it('continues as new with a fresh generation', async () => {
    const def = workflow('flow.loop', [
      { id: 'echo', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: 'input.n' }, saveAs: 'vars.n' },
      { id: 'more', type: 'control.if', condition: { $expr: 'input.n < 3' }, then: [{ id: 'again', type: 'control.continueAsNew', input: { n: { $expr: 'input.n + 1' } } }] },
      { id: 'out', type: 'control.return', output: { $expr: 'input.n' } },
    ]);
    const run = await h.start(def, { n: 1 });
    expect(await h.engine.awaitRun(run)).toMatchObject({ status: 'SUCCEEDED', output: 3 });
    const row = await h.t.db.selectFrom('workflow_runs').select('generation').where('run_id', '=', run.runId).executeTakeFirstOrThrow();
    expect(row.generation).toBe(2);
    const echoes = (await h.stores.runs.listSteps(h.tenant, run.runId)).filter((s) => s.stepId === 'echo');
    expect(echoes.map((s) => s.iteration)).toEqual(['0', '1', '2']);
  });

  it('a run continuing as new back to back past the cap fails with CONTINUE_AS_NEW_LIMIT_EXCEEDED', async () => {
    const def = workflow('flow.runaway', [{ id: 'again', type: 'control.continueAsNew', input: { $expr: 'input + 1' } }]);
    const run = await h.start(def, 0);
    const done = await h.engine.awaitRun(run, { timeoutMs: 30_000 });
    expect(done).toMatchObject({
      status: 'FAILED',
      error: { category: 'ValidationError', code: 'CONTINUE_AS_NEW_LIMIT_EXCEEDED', details: { limit: MAX_BACK_TO_BACK_GENERATIONS } },
    });
    const row = await h.t.db.selectFrom('workflow_runs').select('generation').where('run_id', '=', run.runId).executeTakeFirstOrThrow();
    expect(row.generation).toBe(MAX_BACK_TO_BACK_GENERATIONS);
  });
});

describe('events', () => {
  const def = workflow('flow.event', [
    { id: 'pay', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.invoice' }, filter: { $expr: 'event.payload.amount > 0' }, saveAs: 'vars.payment' },
    { id: 'out', type: 'control.return', output: { $expr: 'vars.payment.payload.amount' } },
  ]);

  const snapshot = (runId: string) => runRows(h.t, runId);

  it('opens an indexed wait, ignores a filtered-out event without a trace, and resumes once', async () => {
    const run = await h.start(def, { invoice: 'inv-1' });
    // WAITING is committed with the wait row; the worker then reads the event inbox and gives the run
    // up (lease cleared) in a second commit: the snapshot is taken after that one.
    await waitFor(`run ${run.runId} WAITING and released`, async () => {
      const row = (await runRows(h.t, run.runId)).run;
      return row.status === 'WAITING' && row.lease_owner === null ? true : undefined;
    });
    const [wait] = await h.stores.waits.findWaiting(h.tenant, 'PAID', 'inv-1');
    expect(wait).toMatchObject({ runId: run.runId, engine: 'db', stepId: 'pay' });

    const before = await snapshot(run.runId);
    await h.engine.deliverEvent(run, { eventId: 'e-zero', eventName: 'PAID', correlationKey: 'inv-1', payload: { amount: 0 } });
    expect(await snapshot(run.runId)).toEqual(before);

    const deliveries = await Promise.allSettled(
      ['e-1', 'e-1', 'e-2'].map((eventId, i) => h.engine.deliverEvent(run, { eventId, eventName: 'PAID', correlationKey: 'inv-1', payload: { amount: 10 + i } })),
    );
    expect(deliveries.every((d) => d.status === 'fulfilled')).toBe(true);
    const done = await h.engine.awaitRun(run);
    expect(done.status).toBe('SUCCEEDED');
    const waits = await h.stores.waits.listForRun(h.tenant, run.runId);
    expect(waits).toHaveLength(1);
    expect(waits[0]!.status).toBe('RESOLVED');
    const resolvedBy = await h.t.db.selectFrom('workflow_run_waits').select('resolved_by').where('run_id', '=', run.runId).executeTakeFirstOrThrow();
    // exactly one delivery resumed the wait: the output is that event's amount
    expect(resolvedBy.resolved_by === 'e-2' ? [12] : [10, 11]).toContain(done.output);
    expect((await h.stores.runs.listSteps(h.tenant, run.runId)).filter((s) => s.stepId === 'pay')).toHaveLength(1);
  });

  it('resumes a waiting run within milliseconds through LISTEN/NOTIFY, not the poll', async () => {
    const slow = await createEngineHarness('notify', actions.registry, { engine: { pollIntervalMs: 60_000 } });
    try {
      const run = await slow.start(workflow('flow.notify', [
        { id: 'e', type: 'event.wait', eventName: 'GO', correlationKey: 'k' },
        { id: 'a', type: 'action.call', action: 'core.echo', actionVersion: 1, input: 'went' },
      ]), null);
      await waitFor('WAITING', async () => ((await slow.stores.runs.get(slow.tenant, run.runId))?.status === 'WAITING' ? true : undefined));
      const sent = Date.now();
      await slow.engine.deliverEvent(run, { eventId: 'go-1', eventName: 'GO', correlationKey: 'k', payload: {} });
      await slow.engine.awaitRun(run, { pollMs: 60_000 });
      const latency = Date.now() - sent;
      expect(latency).toBeLessThan(1000);
    } finally {
      await slow.close();
    }
  });

  it('times an unanswered wait out as TimeoutError and closes the wait TIMED_OUT', async () => {
    const run = await h.start(workflow('flow.event-timeout', [{ id: 'w', type: 'event.wait', eventName: 'NEVER', correlationKey: 'x', timeoutMs: 300 }]), null);
    const done = await h.engine.awaitRun(run);
    expect(done.status).toBe('FAILED');
    expect(done.error?.category).toBe('TimeoutError');
    expect((await h.stores.waits.listForRun(h.tenant, run.runId)).map((w) => w.status)).toEqual(['TIMED_OUT']);
  });
});

describe('human tasks', () => {
  const def = workflow('flow.task', [
    { id: 'approve', type: 'human.task', taskType: 'approval', title: 'Approve?', formSchema: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } }, saveAs: 'vars.answer' },
    { id: 'out', type: 'control.return', output: { $expr: 'vars.answer.ok' } },
  ]);

  it('opens a task row, refuses an invalid response (task stays open), completes with a valid one', async () => {
    const run = await h.start(def, null);
    await waitingFor(run.runId);
    const [task] = await h.stores.tasks.list(h.tenant, { runId: run.runId });
    expect(task).toMatchObject({ status: 'OPEN', taskType: 'approval', title: 'Approve?', engine: 'db' });
    await expect(
      h.engine.completeHumanTask(run, { taskId: task!.taskId, response: { ok: 'yes' }, completedAt: new Date().toISOString() }),
    ).rejects.toSatisfy((e) => isBatonError(e, 'VALIDATION_ERROR'));
    expect((await h.stores.tasks.get(h.tenant, task!.taskId))?.status).toBe('OPEN');
    await h.engine.completeHumanTask(run, { taskId: task!.taskId, response: { ok: true }, completedAt: new Date().toISOString(), completedBy: 'ann' });
    await h.engine.completeHumanTask(run, { taskId: task!.taskId, response: { ok: false }, completedAt: new Date().toISOString(), completedBy: 'bob' });
    expect(await h.engine.awaitRun(run)).toMatchObject({ status: 'SUCCEEDED', output: true });
    expect(await h.stores.tasks.get(h.tenant, task!.taskId)).toMatchObject({ status: 'COMPLETED', response: { ok: true }, completedBy: 'ann' });
  });
});

describe('run control', () => {
  it('cancels a waiting run: waits cancelled, a late event does not resume it, a second cancel is refused', async () => {
    const run = await h.start(workflow('flow.cancel', [{ id: 'w', type: 'event.wait', eventName: 'LATE', correlationKey: 'k1' }]), null);
    await waitingFor(run.runId);
    await h.engine.cancel(run, 'customer left');
    const done = await h.engine.awaitRun(run);
    expect(done.status).toBe('CANCELED');
    expect((await h.stores.waits.listForRun(h.tenant, run.runId)).map((w) => w.status)).toEqual(['CANCELED']);
    await h.engine.deliverEvent(run, { eventId: 'late-1', eventName: 'LATE', correlationKey: 'k1', payload: {} });
    expect(await statusOf(run.runId)).toBe('CANCELED');
    await expect(h.engine.cancel(run, 'again')).rejects.toSatisfy((e) => isBatonError(e, 'RUN_ALREADY_FINISHED'));
  });

  it('cancels a run in the middle of a long action: the worker cannot commit over it', async () => {
    const run = await h.start(workflow('flow.cancel-busy', [
      { id: 'slow', type: 'action.call', action: 'test.slow', actionVersion: 1, input: { ms: 800 } },
      { id: 'after', type: 'action.call', action: 'test.count', actionVersion: 1, input: 1 },
    ]), null);
    await waitFor('the lease', async () => (await h.t.db.selectFrom('workflow_runs').select('lease_owner').where('run_id', '=', run.runId).executeTakeFirst())?.lease_owner ?? undefined);
    await h.engine.cancel(run, 'stop');
    await new Promise((r) => setTimeout(r, 1200));
    expect(await statusOf(run.runId)).toBe('CANCELED');
    expect(await h.stores.runs.listSteps(h.tenant, run.runId).then((s) => s.map((x) => [x.stepId, x.status]))).toEqual([['slow', 'CANCELED']]);
    expect([...actions.executions.keys()].some((k) => k.includes(run.runId))).toBe(false);
  });

  it('retries a failed run from the failed step, continuing its attempt count', async () => {
    actions.gateOpen = false;
    const def = workflow('flow.retry', [
      { id: 'first', type: 'action.call', action: 'test.count', actionVersion: 1, input: 'once' },
      { id: 'gate', type: 'action.call', action: 'test.gate', actionVersion: 1, input: null, saveAs: 'vars.gate' },
    ]);
    const run = await h.start(def, null);
    expect((await h.engine.awaitRun(run)).status).toBe('FAILED');
    await expect(h.engine.resume(run, { reason: 'nothing waits' })).rejects.toSatisfy((e) => isBatonError(e, 'RUN_ALREADY_FINISHED'));
    actions.gateOpen = true;
    await h.engine.retry(run, 'gate fixed');
    const done = await h.engine.awaitRun(run);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: { gate: { attempt: 2 } } });
    const steps = await h.stores.runs.listSteps(h.tenant, run.runId);
    expect(steps.map((s) => [s.stepId, s.status, s.attempt])).toEqual([
      ['first', 'SUCCEEDED', 1],
      ['gate', 'SUCCEEDED', 2],
    ]);
    expect(actions.executions.get(`${h.tenant}:${run.runId}:first:0`)).toBe(1);
    await expect(h.engine.retry(run, 'again')).rejects.toSatisfy((e) => isBatonError(e, 'RUN_NOT_FAILED'));
  });

  it('lets an operator resume the current wait with a response', async () => {
    const run = await h.start(workflow('flow.resume', [
      { id: 'w', type: 'event.wait', eventName: 'NEVER', correlationKey: 'k', saveAs: 'vars.e' },
      { id: 'out', type: 'control.return', output: { $expr: 'vars.e.payload' } },
    ]), null);
    await waitingFor(run.runId);
    await h.engine.resume(run, { reason: 'support ticket 12', response: { manual: true } });
    expect(await h.engine.awaitRun(run)).toMatchObject({ status: 'SUCCEEDED', output: { manual: true } });
    const wait = await h.t.db.selectFrom('workflow_run_waits').select(['status', 'resolved_by']).where('run_id', '=', run.runId).executeTakeFirstOrThrow();
    expect(wait).toEqual({ status: 'RESOLVED', resolved_by: 'operator' });
    expect(h.engine.capabilities).toEqual({ retryFailedRun: true, adminResume: true, requeueWait: false, batchedDelivery: true, asyncCancel: false, storesRunOnStart: true });
  });

  it('an operator resume of a sleep resolves the sleep wait (not cancelled)', async () => {
    const run = await h.start(workflow('flow.resume-sleep', [
      { id: 'nap', type: 'time.wait', durationMs: 3_600_000 },
      { id: 'out', type: 'control.return', output: 'awake' },
    ]), null);
    await waitingFor(run.runId);
    await h.engine.resume(run, { reason: 'skip the nap' });
    expect(await h.engine.awaitRun(run)).toMatchObject({ status: 'SUCCEEDED', output: 'awake' });
    const wait = await h.t.db.selectFrom('workflow_run_waits').select(['wait_type', 'status', 'resolved_by']).where('run_id', '=', run.runId).executeTakeFirstOrThrow();
    expect(wait).toEqual({ wait_type: 'TIMER', status: 'RESOLVED', resolved_by: 'operator' });
  });

  it('answers RUN_NOT_FOUND for a run of another tenant', async () => {
    const run = await h.start(workflow('flow.tenant', [{ id: 'w', type: 'event.wait', eventName: 'X', correlationKey: 'k' }]), null);
    const { createRunRef } = await import('@baton/runtime-core');
    await expect(h.engine.cancel(createRunRef('db', 'globex', run.runId), 'no')).rejects.toSatisfy((e) => isBatonError(e, 'RUN_NOT_FOUND'));
    await h.engine.cancel(run, 'cleanup');
  });
});

describe('action idempotency', () => {
  it('reuses a completed invocation stored under the same key instead of running the action', async () => {
    const def = workflow('flow.idem', [
      { id: 'pay', type: 'action.call', action: 'test.count', actionVersion: 1, input: 'fresh', idempotencyKey: { $expr: "'pay-' & input.order" }, saveAs: 'vars.pay' },
    ]);
    const first = await h.start(def, { order: 'o-1' });
    expect((await h.engine.awaitRun(first)).output).toEqual({ pay: 'fresh' });
    const second = await h.start(def, { order: 'o-1' });
    expect((await h.engine.awaitRun(second)).output).toEqual({ pay: 'fresh' });
    expect(actions.executions.get(`${h.tenant}:pay-o-1`)).toBe(1);
    const rows = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(h.t.schema, 'workflow_action_invocations')} where idempotency_key = ${`${h.tenant}:pay-o-1`}`.execute(h.t.db);
    expect(rows.rows[0]!.n).toBe(1);
  });
});
