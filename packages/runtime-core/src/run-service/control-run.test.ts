import type { RunStatus } from '@baton/event-schemas';
import { describe, expect, it } from 'vitest';
import { BatonError, isBatonError, toErrorBody } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import type { RunControlAction } from '../run-control/plan-run-control.js';
import { createHarness, definition, openEventWait } from './__fixtures__/runtime-harness.js';
import { READ_METHODS } from './__fixtures__/recording-stores.js';

async function runOn(engine: 'db' | 'temporal', status: RunStatus = 'RUNNING', options: Parameters<typeof createHarness>[0] = {}) {
  const h = createHarness(options);
  await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
  const { runId } = await h.runtime.startRun('acme', { workflow: 'w', input: null, engine });
  if (status !== 'RUNNING') await h.stores.runs.update('acme', runId, { status, updatedAt: '2026-01-01T00:00:01.000Z' });
  h.portCalls.length = 0;
  h.db.calls.length = 0;
  h.temporal.calls.length = 0;
  return { h, runId };
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    if (!isBatonError(err)) throw err;
    return { code: err.code, body: toErrorBody(err) };
  }
  throw new Error('expected a refusal');
}

describe('control', () => {
  for (const action of ['retry', 'resume'] as const satisfies RunControlAction[]) {
    it(`refuses ${action} of a Temporal run before any write or engine call`, async () => {
      const { h, runId } = await runOn('temporal', action === 'retry' ? 'FAILED' : 'WAITING');
      const { code, body } = await refusal(h.runtime.control('acme', runId, action, { reason: 'operator' }));
      expect(code).toBe('WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED');
      expect(body.error).toMatchObject({ action, engine: 'temporal', runId, hint: expect.any(String) });
      expect(h.portCalls.filter((c) => !READ_METHODS.has(c.method))).toEqual([]);
      expect(h.temporal.calls).toEqual([]);
    });
  }

  it('refuses retry of a run that did not fail, and cancel of a finished run, with reads only', async () => {
    const running = await runOn('db');
    expect((await refusal(running.h.runtime.control('acme', running.runId, 'retry', { reason: 'x' }))).code).toBe('RUN_NOT_FAILED');
    expect(running.h.portCalls.map((c) => `${c.port}.${c.method}`)).toEqual(['runs.get']);
    const done = await runOn('db', 'SUCCEEDED');
    expect((await refusal(done.h.runtime.control('acme', done.runId, 'cancel', { reason: 'x' }))).code).toBe('RUN_ALREADY_FINISHED');
    expect(done.h.portCalls.map((c) => `${c.port}.${c.method}`)).toEqual(['runs.get']);
    expect(done.h.db.calls).toEqual([]);
  });

  it('refuses resume of a run with nothing to resume', async () => {
    const { h, runId } = await runOn('db');
    expect((await refusal(h.runtime.control('acme', runId, 'resume', { reason: 'x' }))).code).toBe('RUN_NOT_WAITING');
    expect(h.portCalls.filter((c) => !READ_METHODS.has(c.method))).toEqual([]);
  });

  it('answers RUN_NOT_FOUND for a missing run and another tenant', async () => {
    const { h, runId } = await runOn('db');
    expect((await refusal(h.runtime.control('acme', 'nope', 'cancel', { reason: 'x' }))).code).toBe('RUN_NOT_FOUND');
    expect((await refusal(h.runtime.control('globex', runId, 'cancel', { reason: 'x' }))).code).toBe('RUN_NOT_FOUND');
  });

  it('cancels a Postgres run: engine first, then the projection, waits and tasks', async () => {
    const { h, runId } = await runOn('db');
    await openEventWait(h.stores, 'acme', runId, 'db', 'E', 'k');
    await h.stores.tasks.open('acme', { taskId: 't1', runId, engine: 'db', stepId: 's', taskType: 'x', title: 'x', createdAt: 'x' });
    h.portCalls.length = 0;
    expect(await h.runtime.control('acme', runId, 'cancel', { reason: 'customer left' })).toEqual({ runId, status: 'CANCELED' });
    expect(h.db.calls).toEqual([{ op: 'cancel', runId, arg: 'customer left' }]);
    const writes = h.portCalls.filter((c) => !READ_METHODS.has(c.method)).map((c) => `${c.port}.${c.method}`);
    expect(writes).toEqual(['runs.update', 'waits.closeAllForRun', 'tasks.cancelForRun']);
    expect(await h.runtime.getRun('acme', runId)).toMatchObject({
      status: 'CANCELED',
      error: { category: 'Canceled', code: 'RUN_CANCELED', message: 'customer left' },
      completedAt: '2026-01-01T00:00:00.000Z',
      waits: [],
    });
    expect((await h.stores.tasks.get('acme', 't1'))!.status).toBe('CANCELED');
  });

  it('changes nothing when Temporal refuses a cancel (WORKFLOW_TEMPORAL_CANCEL_FAILED)', async () => {
    const { h, runId } = await runOn('temporal', 'WAITING');
    h.temporal.failures.cancel = new Error('workflow execution already completed');
    const { code, body } = await refusal(h.runtime.control('acme', runId, 'cancel', { reason: 'x' }));
    expect(code).toBe('WORKFLOW_TEMPORAL_CANCEL_FAILED');
    expect(body.error).toMatchObject({ runId, engine: 'temporal' });
    expect(h.portCalls.filter((c) => !READ_METHODS.has(c.method))).toEqual([]);
    expect((await h.runtime.getRun('acme', runId)).status).toBe('WAITING');
  });

  it('Temporal is the authority: CANCELED is written only once Temporal says the workflow cancelled', async () => {
    const { h, runId } = await runOn('temporal', 'WAITING');
    h.temporal.cancelOutcome = { settled: 'canceled' };
    expect(await h.runtime.control('acme', runId, 'cancel', { reason: 'x' })).toEqual({ runId, status: 'CANCELED' });
    expect((await h.runtime.getRun('acme', runId)).status).toBe('CANCELED');
  });

  it('a Temporal run that completed before the cancel applied: RUN_ALREADY_FINISHED, the projection is not CANCELED', async () => {
    const { h, runId } = await runOn('temporal', 'WAITING');
    h.temporal.cancelOutcome = { settled: 'finished', status: 'SUCCEEDED' };
    const { code, body } = await refusal(h.runtime.control('acme', runId, 'cancel', { reason: 'x' }));
    expect(code).toBe('RUN_ALREADY_FINISHED');
    expect(body.error).toMatchObject({ runId, status: 'SUCCEEDED' });
    expect(h.portCalls.filter((c) => !READ_METHODS.has(c.method))).toEqual([]);
    expect((await h.runtime.getRun('acme', runId)).status).toBe('WAITING');
  });

  it('a Temporal run that has not settled in time: CANCEL_REQUESTED, nothing written (the projection follows the workflow)', async () => {
    const { h, runId } = await runOn('temporal', 'WAITING');
    h.temporal.cancelOutcome = { settled: 'requested' };
    expect(await h.runtime.control('acme', runId, 'cancel', { reason: 'x' })).toEqual({ runId, status: 'CANCEL_REQUESTED' });
    expect(h.portCalls.filter((c) => !READ_METHODS.has(c.method))).toEqual([]);
    expect((await h.runtime.getRun('acme', runId)).status).toBe('WAITING');
  });

  it('cancels a Temporal run when Temporal agrees', async () => {
    const { h, runId } = await runOn('temporal');
    expect(await h.runtime.control('acme', runId, 'cancel', { reason: 'x' })).toEqual({ runId, status: 'CANCELED' });
    expect(h.temporal.calls.map((c) => c.op)).toEqual(['cancel']);
  });

  it('retries a FAILED Postgres run and resumes a waiting one through the engine', async () => {
    const failed = await runOn('db', 'FAILED');
    expect(await failed.h.runtime.control('acme', failed.runId, 'retry', { reason: 'fixed upstream' })).toEqual({ runId: failed.runId, status: 'FAILED' });
    expect(failed.h.db.calls).toEqual([{ op: 'retry', runId: failed.runId, arg: 'fixed upstream' }]);
    const waiting = await runOn('db', 'WAITING');
    await waiting.h.runtime.control('acme', waiting.runId, 'resume', { reason: 'manual', response: { ok: true } });
    expect(waiting.h.db.calls).toEqual([{ op: 'resume', runId: waiting.runId, arg: { reason: 'manual', response: { ok: true } } }]);
  });

  it('answers ENGINE_UNAVAILABLE for a run whose engine this process lacks, before any write', async () => {
    const { h, runId } = await runOn('temporal');
    // another process over the same stores (h.stores record into h.portCalls), without a Temporal engine
    const noTemporal = createHarness({ withTemporal: false, ...h.stores });
    expect((await refusal(noTemporal.runtime.control('acme', runId, 'cancel', { reason: 'x' }))).code).toBe('ENGINE_UNAVAILABLE');
    expect(h.portCalls.map((c) => `${c.port}.${c.method}`)).toEqual(['runs.get']);
  });
});

describe('control follows the engine capability flags, not the engine name', () => {
  const flagged = { capabilities: { temporal: { retryFailedRun: true, adminResume: true } } };

  it('retries and resumes a Temporal-kind run through an engine that declares retryFailedRun and adminResume', async () => {
    const failed = await runOn('temporal', 'FAILED', flagged);
    expect(await failed.h.runtime.control('acme', failed.runId, 'retry', { reason: 'fixed upstream' })).toEqual({ runId: failed.runId, status: 'FAILED' });
    expect(failed.h.temporal.calls).toEqual([{ op: 'retry', runId: failed.runId, arg: 'fixed upstream' }]);
    const waiting = await runOn('temporal', 'WAITING', flagged);
    await waiting.h.runtime.control('acme', waiting.runId, 'resume', { reason: 'manual' });
    expect(waiting.h.temporal.calls).toEqual([{ op: 'resume', runId: waiting.runId, arg: { reason: 'manual' } }]);
  });

  it('passes a failed cancel through unchanged when the Temporal-kind engine does not declare asyncCancel', async () => {
    const { h, runId } = await runOn('temporal', 'WAITING', flagged);
    h.temporal.failures.cancel = new BatonError(ErrorCode.RUN_NOT_FOUND, 'gone');
    expect((await refusal(h.runtime.control('acme', runId, 'cancel', { reason: 'x' }))).code).toBe('RUN_NOT_FOUND');
  });

  it('answers WORKFLOW_TEMPORAL_CANCEL_FAILED for a failed cancel of an engine that declares asyncCancel', async () => {
    const { h, runId } = await runOn('temporal', 'WAITING');
    h.temporal.failures.cancel = new BatonError(ErrorCode.RUN_NOT_FOUND, 'gone');
    const { code, body } = await refusal(h.runtime.control('acme', runId, 'cancel', { reason: 'x' }));
    expect(code).toBe('WORKFLOW_TEMPORAL_CANCEL_FAILED');
    expect(body.error).toMatchObject({ runId, engine: 'temporal', cause: 'RUN_NOT_FOUND' });
  });
});
