// GET /v1/workflows/:name/upgrade-plan on a real Postgres engine loop: runs of v1 waiting at
// different steps are classed against v2 (MOVES_NOW, CANNOT_MOVE with its reason,
// MOVES_AT_CONTINUE_AS_NEW), only for their tenant; unknown versions 404, a bad query 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView, UpgradePlan } from '@baton/event-schemas';
import { tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { waitFor } from '../__fixtures__/wait-for.js';

const wait = (id: string, eventName: string) => ({ id, type: 'event.wait', eventName, correlationKey: { $expr: 'input.key' }, timeoutMs: 600_000 });

const ORDER_V1 = {
  name: 'ops.order',
  version: '1.0.0',
  inputSchema: { type: 'object', required: ['key'] },
  steps: [wait('paid', 'PAID'), wait('ship', 'SHIP'), { id: 'done', type: 'control.return', output: 'done' }],
};
/** `ship` now waits for another event; the input must name a customer. */
const ORDER_V2 = {
  ...ORDER_V1,
  version: '2.0.0',
  inputSchema: { type: 'object', required: ['key', 'customer'] },
  steps: [wait('paid', 'PAID'), wait('ship', 'SHIPPED'), { id: 'done', type: 'control.return', output: 'done' }],
};
const LOOP_V1 = { name: 'ops.loop', version: '1.0.0', steps: [wait('tick', 'TICK'), { id: 'again', type: 'control.continueAsNew' }] };
const LOOP_V2 = { ...LOOP_V1, version: '2.0.0', steps: [wait('tick', 'TOCK'), { id: 'again', type: 'control.continueAsNew' }] };

let h: IngressHarness;
let a: TenantClient;
let b: TenantClient;

beforeAll(async () => {
  h = await createIngressHarness('upgrade_plan', { engines: 'db' });
  a = tenantClient(h.app, TENANT_A);
  b = tenantClient(h.app, TENANT_B);
  for (const definition of [ORDER_V1, ORDER_V2, LOOP_V1, LOOP_V2]) expect((await a.post('/v1/workflows', definition)).statusCode).toBe(201);
}, 120_000);
afterAll(async () => h?.close());

async function start(workflow: string, input: unknown): Promise<string> {
  const res = await a.post('/v1/runs', { workflow, version: '1.0.0', input, engine: 'db' });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { runId: string }).runId;
}

/** The run waits at `stepId` (its open wait, as `GET /v1/runs/:id` shows it). */
async function waitingAt(runId: string, stepId: string): Promise<void> {
  await waitFor(
    async () => (await a.get(`/v1/runs/${runId}`)).json() as RunView,
    (run) => run.waits.some((w) => w.stepId === stepId),
    { timeoutMs: 30_000, intervalMs: 100 },
  );
}

async function plan(client: TenantClient, name: string, query: string): Promise<{ statusCode: number; body: UpgradePlan & { error?: { code: string } } }> {
  const res = await client.get(`/v1/workflows/${name}/upgrade-plan${query}`);
  return { statusCode: res.statusCode, body: res.json() };
}

describe('GET /v1/workflows/:name/upgrade-plan', () => {
  it('diffs v1 and v2 and classes each in-flight run of v1 by where it waits', async () => {
    const atPaid = await start(ORDER_V1.name, { key: 'o-1', customer: 'c-1' });
    const atPaidNoCustomer = await start(ORDER_V1.name, { key: 'o-2' });
    const atShip = await start(ORDER_V1.name, { key: 'o-3', customer: 'c-3' });
    const looping = await start(LOOP_V1.name, { key: 'l-1' });
    await waitingAt(atShip, 'paid');
    expect((await a.post('/v1/events', { eventId: 'paid-o-3', eventName: 'PAID', correlationKey: 'o-3', payload: {} })).statusCode).toBe(202);
    await Promise.all([waitingAt(atPaid, 'paid'), waitingAt(atPaidNoCustomer, 'paid'), waitingAt(atShip, 'ship'), waitingAt(looping, 'tick')]);

    const order = await plan(a, ORDER_V1.name, '?from=1.0.0&to=2.0.0');
    expect(order.statusCode, JSON.stringify(order.body)).toBe(200);
    expect(order.body.diff).toEqual({ added: [], removed: [], changed: [{ stepId: 'ship', path: 'steps[1]' }] });
    const byRun = Object.fromEntries(order.body.runs.map(({ runId, ...rest }) => [runId, rest]));
    expect(byRun).toEqual({
      [atPaid]: { engine: 'db', status: 'WAITING', class: 'MOVES_NOW', stepPath: 'steps[0]' },
      [atPaidNoCustomer]: { engine: 'db', status: 'WAITING', class: 'CANNOT_MOVE', reason: 'INPUT_INCOMPATIBLE', stepPath: 'steps[0]' },
      [atShip]: { engine: 'db', status: 'WAITING', class: 'CANNOT_MOVE', reason: 'STEP_CHANGED', stepPath: 'steps[1]' },
    });

    const loop = await plan(a, LOOP_V1.name, '?from=1.0.0&to=2.0.0');
    expect(loop.body.runs).toEqual([{ runId: looping, engine: 'db', status: 'WAITING', class: 'MOVES_AT_CONTINUE_AS_NEW', reason: 'STEP_CHANGED', stepPath: 'steps[0]' }]);

    // a finished run is not in flight
    expect((await a.post('/v1/events', { eventId: 'paid-o-1', eventName: 'PAID', correlationKey: 'o-1', payload: {} })).statusCode).toBe(202);
    expect((await a.post('/v1/events', { eventId: 'ship-o-1', eventName: 'SHIP', correlationKey: 'o-1', payload: {} })).statusCode).toBe(202);
    await waitFor(
      async () => (await a.get(`/v1/runs/${atPaid}`)).json() as RunView,
      (run) => run.status === 'SUCCEEDED',
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect((await plan(a, ORDER_V1.name, '?from=1.0.0&to=2.0.0')).body.runs.map((r) => r.runId).sort()).toEqual([atPaidNoCustomer, atShip].sort());
  });

  it('answers 404 WORKFLOW_NOT_FOUND for an unpublished version or another tenant, 400 for a bad query', async () => {
    const missing = await plan(a, ORDER_V1.name, '?from=1.0.0&to=9.0.0');
    expect([missing.statusCode, missing.body.error?.code]).toEqual([404, 'WORKFLOW_NOT_FOUND']);
    const other = await plan(b, ORDER_V1.name, '?from=1.0.0&to=2.0.0');
    expect([other.statusCode, other.body.error?.code]).toEqual([404, 'WORKFLOW_NOT_FOUND']);
    const bad = await plan(a, ORDER_V1.name, '?from=one&to=2.0.0');
    expect([bad.statusCode, bad.body.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect((await plan(a, ORDER_V1.name, '?to=2.0.0')).statusCode).toBe(400);
  });
});
