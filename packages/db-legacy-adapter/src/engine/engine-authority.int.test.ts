import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createActionRegistry, createRunRef, EngineAuthorityError, isBatonError, type RunRef } from '@baton/runtime-core';
import type { PgPoolLike } from '../database/pg-pool.js';
import { createEngineHarness, echoSteps, workflow, type EngineHarness } from '../__fixtures__/engine-harness.js';
import { createPostgresEngine, type PostgresEngine } from './postgres-engine.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await createEngineHarness('authority', createActionRegistry({ enableTestActions: true }), { worker: false });
});
afterAll(async () => h?.close());

describe('a Temporal run handed to the Postgres engine', () => {
  it('does not compile', () => {
    const temporalRun = createRunRef('temporal', 'acme', 'r-1');
    const engine = {} as PostgresEngine;
    expectTypeOf(temporalRun).not.toExtend<RunRef<'db'>>();
    // Each call below is a compile error; the arrows are never called.
    // @ts-expect-error RunRef<'temporal'> is not a RunRef<'db'>
    const a = () => engine.deliverEvent(temporalRun, { eventId: 'e', eventName: 'E', correlationKey: 'k', payload: null });
    // @ts-expect-error RunRef<'temporal'> is not a RunRef<'db'>
    const b = () => engine.cancel(temporalRun, 'no');
    // @ts-expect-error RunRef<'temporal'> is not a RunRef<'db'>
    const c = () => engine.retry(temporalRun, 'no');
    // @ts-expect-error RunRef<'temporal'> is not a RunRef<'db'>
    const d = () => engine.resume(temporalRun, { reason: 'no' });
    // @ts-expect-error RunRef<'temporal'> is not a RunRef<'db'>
    const e = () => engine.completeHumanTask(temporalRun, { taskId: 't', response: {}, completedAt: '2030-01-01T00:00:00Z' });
    expect([a, b, c, d, e].every((f) => typeof f === 'function')).toBe(true);
  });

  it('is refused with EngineAuthorityError before any connection is taken from the pool', async () => {
    const calls: string[] = [];
    const recording: PgPoolLike = {
      connect: () => {
        calls.push('connect');
        return h.t.pool.connect();
      },
      end: async () => undefined,
    };
    const engine = createPostgresEngine({ pool: recording, schema: h.t.schema, actions: createActionRegistry() });
    // what an untyped path (JSON from a queue, a cast) could smuggle in
    const smuggled = createRunRef('temporal', 'acme', 'r-1') as unknown as RunRef<'db'>;
    const attempts = [
      () => engine.deliverEvent(smuggled, { eventId: 'e', eventName: 'E', correlationKey: 'k', payload: null }),
      () => engine.completeHumanTask(smuggled, { taskId: 't', response: {}, completedAt: '2030-01-01T00:00:00Z' }),
      () => engine.cancel(smuggled, 'no'),
      () => engine.retry(smuggled, 'no'),
      () => engine.resume(smuggled, { reason: 'no' }),
      () => engine.awaitRun(smuggled),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toSatisfy((e) => e instanceof EngineAuthorityError && e.code === 'WORKFLOW_ENGINE_AUTHORITY');
    }
    expect(calls).toEqual([]);
  });
});

describe('rows of both engines in one table', () => {
  const runs = sql.id;
  async function temporalRows() {
    return sql`select r.*, (select json_agg(w order by w.wait_id) from ${runs(h.t.schema, 'workflow_run_waits')} w where w.run_id = r.run_id) as waits
      from ${runs(h.t.schema, 'workflow_runs')} r where r.engine = 'temporal' order by r.run_id`.execute(h.t.db).then((r) => r.rows);
  }

  it('never claims, times, retries or resumes a Temporal run, even one that looks due', async () => {
    const now = new Date().toISOString();
    for (const id of ['t-1', 't-2', 't-3']) {
      await h.stores.runs.create('acme', {
        runId: id,
        workflow: 'flow.temporal',
        version: '1.0.0',
        definitionHash: 'h',
        engine: 'temporal',
        status: id === 't-3' ? 'FAILED' : 'WAITING',
        input: {},
        executionKey: null,
        runKey: id,
        createdAt: now,
      });
      await h.stores.waits.open('acme', { runId: id, engine: 'temporal', waitId: `${id}:w`, type: 'EVENT', stepId: 'pay', eventName: 'PAID', correlationKey: 'k', createdAt: now, timeoutAt: '2000-01-01T00:00:00Z' });
    }
    // Make the Temporal rows look exactly like due, unleased Postgres work: only the query's own
    // engine filter can keep the worker off them (the table's check constraint is dropped here).
    await sql`alter table ${runs(h.t.schema, 'workflow_runs')} drop constraint ${sql.id('workflow_runs_check')}`.execute(h.t.db);
    await sql`update ${runs(h.t.schema, 'workflow_runs')} set wake_at = now() - interval '1 minute', lease_owner = 'dead-worker',
      lease_expires_at = now() - interval '1 minute', state = '{"format":"baton.interpreter/1"}'::jsonb where engine = 'temporal'`.execute(h.t.db);
    const before = await temporalRows();

    await h.engine.startWorker();
    const db = await Promise.all([
      h.start(workflow('flow.db-echo', echoSteps(2)), null),
      h.start(workflow('flow.db-timer', [{ id: 'nap', type: 'time.wait', durationMs: 1200 }]), null),
      h.start(workflow('flow.db-retry', [{ id: 'f', type: 'action.call', action: 'test.flaky', actionVersion: 1, input: { failTimes: 1 }, retry: { maxAttempts: 2, backoffMs: 1100 } }]), null),
    ]);
    for (const run of db) expect((await h.engine.awaitRun(run)).status).toBe('SUCCEEDED');

    // Postgres-engine entry points with a (forged) db ref to a Temporal row find no Postgres run.
    const forged = createRunRef('db', 'acme', 't-1');
    await h.engine.deliverEvent(forged, { eventId: 'e', eventName: 'PAID', correlationKey: 'k', payload: {} }).then(
      () => expect.unreachable(),
      (e) => expect(isBatonError(e, 'RUN_NOT_FOUND')).toBe(true),
    );
    for (const op of [() => h.engine.cancel(forged, 'x'), () => h.engine.retry(createRunRef('db', 'acme', 't-3'), 'x'), () => h.engine.resume(forged, { reason: 'x' })]) {
      await expect(op()).rejects.toSatisfy((e) => isBatonError(e, 'RUN_NOT_FOUND'));
    }
    expect(await temporalRows()).toEqual(before);
  });
});
