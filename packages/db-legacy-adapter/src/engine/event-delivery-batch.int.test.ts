import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunRef, isBatonError, type RunRef } from '@baton/runtime-core';
import type { PgPoolClientLike, PgPoolLike } from '../database/pg-pool.js';
import { createEngineHarness, runRows, workflow, type EngineHarness } from '../__fixtures__/engine-harness.js';
import { createTestActions } from '../__fixtures__/test-actions.js';
import { createPostgresEngine } from './postgres-engine.js';

// Concurrent deliveries of events share one transaction; each keeps the guarantees of a single delivery.
let h: EngineHarness;
beforeAll(async () => {
  h = await createEngineHarness('event_batch', createTestActions().registry, { awkward: true });
});
afterAll(async () => h?.close());

const def = workflow('flow.batch', [
  { id: 'pay', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.invoice' }, filter: { $expr: 'event.payload.amount > 0' }, saveAs: 'vars.payment' },
  { id: 'out', type: 'control.return', output: { $expr: 'vars.payment.payload.amount' } },
]);

const paid = (eventId: string, invoice: string, amount: number) => ({ eventId, eventName: 'PAID', correlationKey: invoice, payload: { amount } });

/** Starts `count` runs of `definition` (invoices `${prefix}-0`, ...) and waits until each waits for its first event. */
async function waitingRuns(prefix: string, count: number, definition = def): Promise<Array<RunRef<'db'>>> {
  const runs = await Promise.all(Array.from({ length: count }, (_, i) => h.start(definition, { invoice: `${prefix}-${i}` })));
  const ids = runs.map((r) => r.runId);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const waiting = await h.t.db.selectFrom('workflow_run_waits').select('run_id').where('run_id', 'in', ids).where('status', '=', 'WAITING').execute();
    // ...and released by the worker that ran them up to the wait (a snapshot taken before would see its lease)
    const released = await h.t.db.selectFrom('workflow_runs').select('run_id').where('run_id', 'in', ids).where('lease_owner', 'is', null).execute();
    if (waiting.length === count && released.length === count) return runs;
    if (Date.now() > deadline) throw new Error(`only ${waiting.length} of ${count} runs are waiting`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const snapshot = (runId: string) => runRows(h.t, runId);

const resolvedBy = async (runId: string) =>
  (await h.t.db.selectFrom('workflow_run_waits').select(['status', 'resolved_by']).where('run_id', '=', runId).executeTakeFirstOrThrow());

describe('batched event delivery (Postgres engine)', () => {
  it('delivers concurrent events to many runs in one transaction; each run resumes with its own event', async () => {
    const runs = await waitingRuns('many', 12);
    const before = h.engine.eventStats;
    await Promise.all(runs.map((run, i) => h.engine.deliverEvent(run, paid(`many-e${i}`, `many-${i}`, i + 1))));
    const after = h.engine.eventStats;
    expect(after.batches - before.batches).toBe(1);
    expect(after.deliveries - before.deliveries).toBe(12);
    for (const [i, run] of runs.entries()) {
      // the batch finished the runs in its own commit (their last step needs no worker)
      expect(await h.stores.runs.get(h.tenant, run.runId)).toMatchObject({ status: 'SUCCEEDED', output: i + 1 });
      expect(await resolvedBy(run.runId)).toEqual({ status: 'RESOLVED', resolved_by: `many-e${i}` });
    }
  });

  it('leaves a run whose event the filter rejects untouched while the rest of its batch resumes', async () => {
    const [rejected, accepted] = await waitingRuns('filter', 2);
    const before = await snapshot(rejected!.runId);
    const stats = h.engine.eventStats;
    await Promise.all([h.engine.deliverEvent(rejected!, paid('filter-zero', 'filter-0', 0)), h.engine.deliverEvent(accepted!, paid('filter-ok', 'filter-1', 5))]);
    expect(h.engine.eventStats.batches - stats.batches).toBe(1);
    expect(await snapshot(rejected!.runId)).toEqual(before);
    expect(await h.stores.runs.get(h.tenant, accepted!.runId)).toMatchObject({ status: 'SUCCEEDED', output: 5 });
    // the rejected run still takes a later event
    await h.engine.deliverEvent(rejected!, paid('filter-later', 'filter-0', 7));
    expect(await h.stores.runs.get(h.tenant, rejected!.runId)).toMatchObject({ status: 'SUCCEEDED', output: 7 });
  });

  it('resumes a wait once: the same event twice in one turn, a redelivery, or another event after it', async () => {
    const [run, other] = await waitingRuns('once', 2);
    await Promise.all([
      h.engine.deliverEvent(run!, paid('once-e1', 'once-0', 1)),
      h.engine.deliverEvent(run!, paid('once-e1', 'once-0', 1)),
      h.engine.deliverEvent(run!, paid('once-e2', 'once-0', 2)),
      h.engine.deliverEvent(other!, paid('once-e1', 'once-1', 3)),
    ]);
    expect(await h.stores.runs.get(h.tenant, run!.runId)).toMatchObject({ status: 'SUCCEEDED', output: 1 });
    expect(await resolvedBy(run!.runId)).toEqual({ status: 'RESOLVED', resolved_by: 'once-e1' });
    // the same event id resumes another run's wait (ids are per delivery to a run, not global)
    expect(await h.stores.runs.get(h.tenant, other!.runId)).toMatchObject({ status: 'SUCCEEDED', output: 3 });
    const done = await snapshot(run!.runId);
    await h.engine.deliverEvent(run!, paid('once-e1', 'once-0', 1));
    expect(await snapshot(run!.runId)).toEqual(done);
    expect((await h.stores.runs.listSteps(h.tenant, run!.runId)).filter((s) => s.stepId === 'pay')).toHaveLength(1);
  });

  it('an event id resolves at most one wait of a run: redelivered, it does not resume the next wait on the same key', async () => {
    const twice = workflow('flow.batch-twice', [
      { id: 'first', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.invoice' }, saveAs: 'vars.first' },
      { id: 'second', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.invoice' }, saveAs: 'vars.second' },
      { id: 'out', type: 'control.return', output: { $expr: '[vars.first.payload.amount, vars.second.payload.amount]' } },
    ]);
    const [run] = await waitingRuns('twice', 1, twice);
    const waiting = async () =>
      (await h.t.db.selectFrom('workflow_run_waits').select(['step_id', 'status', 'resolved_by']).where('run_id', '=', run!.runId).orderBy('created_at').orderBy('step_id').execute());
    await h.engine.deliverEvent(run!, paid('twice-e1', 'twice-0', 1));
    expect(await waiting()).toEqual([
      { step_id: 'first', status: 'RESOLVED', resolved_by: 'twice-e1' },
      { step_id: 'second', status: 'WAITING', resolved_by: null },
    ]);
    // the same event again, alone and in a batch with another run's event: the second wait stays open
    const [other] = await waitingRuns('twice-other', 1);
    await Promise.all([h.engine.deliverEvent(run!, paid('twice-e1', 'twice-0', 1)), h.engine.deliverEvent(other!, paid('twice-o1', 'twice-other-0', 5))]);
    expect((await waiting())[1]).toEqual({ step_id: 'second', status: 'WAITING', resolved_by: null });
    expect(await h.stores.runs.get(h.tenant, other!.runId)).toMatchObject({ status: 'SUCCEEDED', output: 5 });
    await h.engine.deliverEvent(run!, paid('twice-e2', 'twice-0', 2));
    expect(await h.stores.runs.get(h.tenant, run!.runId)).toMatchObject({ status: 'SUCCEEDED', output: [1, 2] });
  });

  it('fails only the deliveries to a missing run or another tenant run (RUN_NOT_FOUND)', async () => {
    const [run, foreign] = await waitingRuns('scope', 2);
    const settled = await Promise.allSettled([
      h.engine.deliverEvent(run!, paid('scope-e1', 'scope-0', 4)),
      h.engine.deliverEvent(createRunRef('db', h.tenant, 'no-such-run'), paid('scope-e2', 'x', 1)),
      h.engine.deliverEvent(createRunRef('db', 'globex', foreign!.runId), paid('scope-e3', 'scope-1', 1)),
    ]);
    expect(settled[0]!.status).toBe('fulfilled');
    for (const s of settled.slice(1)) expect(s.status === 'rejected' && isBatonError(s.reason, 'RUN_NOT_FOUND')).toBe(true);
    expect(await h.stores.runs.get(h.tenant, run!.runId)).toMatchObject({ status: 'SUCCEEDED', output: 4 });
    expect(await h.stores.runs.get(h.tenant, foreign!.runId)).toMatchObject({ status: 'WAITING' });
  });

  it('writes nothing of a batch whose transaction fails and delivers its events one by one instead', async () => {
    const runs = await waitingRuns('fallback', 3);
    // A real connection whose batch resolve statement fails once (as a dropped connection would).
    let failures = 1;
    const flaky: PgPoolLike = {
      end: () => Promise.resolve(),
      async connect() {
        const client = await h.t.pool.connect();
        const query = (...args: unknown[]): Promise<unknown> => {
          const first = args[0] as { name?: string };
          if (failures > 0 && typeof first === 'object' && first.name?.startsWith('baton_resolve_event_waits')) {
            failures -= 1;
            return Promise.reject(new Error('connection terminated unexpectedly'));
          }
          return (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
        };
        return new Proxy(client, {
          get(target, prop) {
            if (prop === 'query') return query;
            const value: unknown = Reflect.get(target, prop, target);
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
          },
        }) as PgPoolClientLike;
      },
    };
    const engine = createPostgresEngine({ pool: flaky, schema: h.t.schema, actions: createTestActions().registry });
    const before = await Promise.all(runs.map((r) => snapshot(r.runId)));
    expect(before.every((s) => s.run.status === 'WAITING')).toBe(true);
    await Promise.all(runs.map((run, i) => engine.deliverEvent(run, paid(`fallback-e${i}`, `fallback-${i}`, 10 + i))));
    expect(engine.eventStats).toEqual({ batches: 0, deliveries: 0, fallbacks: 1 });
    for (const [i, run] of runs.entries()) {
      expect(await h.stores.runs.get(h.tenant, run.runId)).toMatchObject({ status: 'SUCCEEDED', output: 10 + i });
      expect(await resolvedBy(run.runId)).toEqual({ status: 'RESOLVED', resolved_by: `fallback-e${i}` });
    }
  });
});
