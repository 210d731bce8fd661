// POST /v1/workflows/:name/upgrade on both engines: a run of v1 waiting on an event moves to v2 at
// that wait (same variables), then the event arrives and the run finishes running v2's remaining
// steps; each move has an audit record (GET /v1/workflows/:name/upgrades); a second apply moves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListUpgradesResponse, RunView, UpgradeApplyResult } from '@baton/event-schemas';
import { apiKeyName } from '../auth/api-keys.js';
import { tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { waitFor } from '../__fixtures__/wait-for.js';

const paid = { id: 'paid', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.paid', timeoutMs: 600_000 };
const V1 = {
  name: 'ops.invoice',
  version: '1.0.0',
  steps: [{ id: 'init', type: 'transform.assign', assign: { 'vars.key': { $expr: 'input.key' } } }, paid, { id: 'done', type: 'control.return', output: { $expr: 'vars' } }],
};
/** v2: `audit` before the wait (a moved run never runs it), `fee` after it (a moved run runs it). */
const V2 = {
  ...V1,
  version: '2.0.0',
  steps: [
    { id: 'init', type: 'transform.assign', assign: { 'vars.key': { $expr: 'input.key' } } },
    { id: 'audit', type: 'transform.assign', assign: { 'vars.audited': true } },
    paid,
    { id: 'fee', type: 'transform.assign', assign: { 'vars.fee': 5 } },
    { id: 'done', type: 'control.return', output: { $expr: 'vars' } },
  ],
};

let h: IngressHarness;
let a: TenantClient;

beforeAll(async () => {
  h = await createIngressHarness('upgrade_apply', { engines: 'both' });
  a = tenantClient(h.app, TENANT_A);
  for (const definition of [V1, V2]) expect((await a.post('/v1/workflows', definition)).statusCode).toBe(201);
}, 180_000);
afterAll(async () => h?.close());

const getRun = async (runId: string) => (await a.get(`/v1/runs/${runId}`)).json() as RunView;

async function apply(body: Record<string, unknown>): Promise<UpgradeApplyResult> {
  const res = await a.post(`/v1/workflows/${V1.name}/upgrade`, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as UpgradeApplyResult;
}

describe('POST /v1/workflows/:name/upgrade', () => {
  it('moves waiting runs of both engines to v2 at their wait; the event then finishes them on v2; audited once; a second apply moves nothing', async () => {
    const runs: Record<string, string> = {};
    for (const engine of ['db', 'temporal'] as const) {
      const res = await a.post('/v1/runs', { workflow: V1.name, version: '1.0.0', input: { key: `inv-${engine}` }, engine });
      expect(res.statusCode, res.body).toBe(201);
      runs[engine] = (res.json() as { runId: string }).runId;
    }
    for (const runId of Object.values(runs)) {
      // A Temporal projection opens the wait row before it marks the run WAITING (two writes): the
      // planner classes a run still RUNNING as NOT_AT_A_WAIT, so wait for both.
      await waitFor(() => getRun(runId), (run) => run.status === 'WAITING' && run.waits.some((w) => w.stepId === 'paid'), { timeoutMs: 60_000, intervalMs: 100 });
    }

    const dry = await apply({ from: '1.0.0', to: '2.0.0', dryRun: true });
    expect(dry.moved.map((r) => r.runId).sort()).toEqual(Object.values(runs).sort());
    expect((await getRun(runs.db!)).version).toBe('1.0.0');

    const applied = await apply({ from: '1.0.0', to: '2.0.0' });
    expect(applied.dryRun).toBe(false);
    expect(applied.skipped).toEqual([]);
    expect(Object.fromEntries(applied.moved.map((r) => [r.engine, r.runId]))).toEqual(runs);
    for (const runId of Object.values(runs)) {
      const view = await getRun(runId);
      expect([view.version, view.status, view.waits.map((w) => w.stepId)]).toEqual(['2.0.0', 'WAITING', ['paid']]);
    }

    // a second apply moves nothing: no run of 1.0.0 is left, and a named run is no longer on 1.0.0
    expect(await apply({ from: '1.0.0', to: '2.0.0' })).toEqual({ from: '1.0.0', to: '2.0.0', dryRun: false, moved: [], skipped: [] });
    const again = await apply({ from: '1.0.0', to: '2.0.0', runIds: [runs.temporal] });
    expect(again.skipped).toEqual([{ runId: runs.temporal, engine: 'temporal', class: 'CANNOT_MOVE', reason: 'NOT_ON_FROM_VERSION' }]);

    for (const [engine, runId] of Object.entries(runs)) {
      const sent = await a.post('/v1/events', { eventId: `paid-${engine}`, eventName: 'PAID', correlationKey: `inv-${engine}`, payload: { amount: 10 } });
      expect(sent.statusCode).toBe(202);
      const done = await waitFor(() => getRun(runId), (run) => run.status === 'SUCCEEDED' || run.status === 'FAILED', { timeoutMs: 60_000, intervalMs: 100 });
      // same variables (key), the taken event, v2's `fee` after the wait; not v2's `audit` before it
      expect(done.output, engine).toEqual({ key: `inv-${engine}`, paid: expect.objectContaining({ eventId: `paid-${engine}`, payload: { amount: 10 } }), fee: 5 });
      expect(done.version).toBe('2.0.0');
    }

    const audit = (await a.get(`/v1/workflows/${V1.name}/upgrades`)).json() as ListUpgradesResponse;
    const actor = apiKeyName(TENANT_A.key);
    expect(audit.items.map(({ at: _at, ...r }) => r).sort((x, y) => x.engine.localeCompare(y.engine))).toEqual([
      { workflow: V1.name, runId: runs.db, engine: 'db', from: '1.0.0', to: '2.0.0', actor, outcome: 'MOVED' },
      { workflow: V1.name, runId: runs.temporal, engine: 'temporal', from: '1.0.0', to: '2.0.0', actor, outcome: 'MOVED' },
    ]);
    expect(((await a.get(`/v1/workflows/${V1.name}/upgrades?runId=${runs.db}`)).json() as ListUpgradesResponse).items).toHaveLength(1);
    expect((await tenantClient(h.app, TENANT_B).get(`/v1/workflows/${V1.name}/upgrades`)).statusCode).toBe(404);
  }, 240_000);

  it('two concurrent applies move each run once: the second finds it no longer on 1.0.0 under the run\'s lock', async () => {
    const runs: string[] = [];
    for (const engine of ['db', 'temporal'] as const) {
      const res = await a.post('/v1/runs', { workflow: V1.name, version: '1.0.0', input: { key: `race-${engine}` }, engine });
      runs.push((res.json() as { runId: string }).runId);
    }
    for (const runId of runs) await waitFor(() => getRun(runId), (run) => run.status === 'WAITING' && run.waits.some((w) => w.stepId === 'paid'), { timeoutMs: 60_000, intervalMs: 100 });
    const [first, second] = await Promise.all([apply({ from: '1.0.0', to: '2.0.0', runIds: runs }), apply({ from: '1.0.0', to: '2.0.0', runIds: runs })]);
    for (const runId of runs) {
      const moves = [first!, second!].filter((r) => r.moved.some((m) => m.runId === runId));
      expect(moves, runId).toHaveLength(1);
      const other = moves[0] === first ? second! : first!;
      // skipped either before its engine (the projection already said 2.0.0) or by its engine under the lock
      expect(other.skipped.find((r) => r.runId === runId)).toMatchObject({ class: 'CANNOT_MOVE', reason: 'NOT_ON_FROM_VERSION' });
      expect((await getRun(runId)).version).toBe('2.0.0');
    }
    const audit = ((await a.get(`/v1/workflows/${V1.name}/upgrades`)).json() as ListUpgradesResponse).items.filter((r) => runs.includes(r.runId));
    expect(audit.filter((r) => r.outcome === 'MOVED').map((r) => r.runId).sort()).toEqual([...runs].sort());
    for (const runId of runs) await a.post(`/v1/runs/${runId}/cancel`, { reason: 'test done' });
  }, 240_000);

  it('answers 404 for an unpublished version, 400 for a bad body or from = to, RUN_NOT_FOUND for an unknown run id', async () => {
    const V3 = { ...V1, version: '3.0.0' };
    expect((await a.post('/v1/workflows', V3)).statusCode).toBe(201);
    expect((await a.post(`/v1/workflows/${V1.name}/upgrade`, { from: '1.0.0', to: '9.9.9' })).statusCode).toBe(404);
    expect((await a.post(`/v1/workflows/${V1.name}/upgrade`, { from: '1.0.0' })).statusCode).toBe(400);
    expect((await a.post(`/v1/workflows/${V1.name}/upgrade`, { from: '1.0.0', to: '1.0.0' })).statusCode).toBe(400);
    const unknown = await apply({ from: '2.0.0', to: '3.0.0', runIds: ['no-such-run'] });
    expect(unknown.skipped).toEqual([{ runId: 'no-such-run', class: 'CANNOT_MOVE', reason: 'RUN_NOT_FOUND' }]);
  });
});
