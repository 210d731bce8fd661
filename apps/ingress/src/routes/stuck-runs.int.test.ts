// GET /v1/runs?stuck=true on a real Postgres engine loop: a run parked on an action no live worker
// provides is listed with ACTION_NOT_PROVIDED, only to its tenant, until a worker providing it appears.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionNotProvidedReason, ListRunsResponse, RunView } from '@baton/event-schemas';
import { tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { waitFor } from '../__fixtures__/wait-for.js';

/** An action the harness's engine does not have: a worker that registered it has gone. */
const VANISHED = { action: 'ops.vanished', version: 1, inputSchema: {}, outputSchema: {} };

const CALLS_VANISHED = {
  name: 'ops.calls-vanished',
  version: '1.0.0',
  steps: [
    { id: 'call', type: 'action.call', action: VANISHED.action, actionVersion: VANISHED.version, input: {}, saveAs: 'vars.out' },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.out' } },
  ],
};
const WAITS_FOR_EVENT = {
  name: 'ops.waits',
  version: '1.0.0',
  steps: [
    { id: 'go', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' }, timeoutMs: 600_000 },
    { id: 'done', type: 'control.return', output: 'done' },
  ],
};

let h: IngressHarness;
let a: TenantClient;
let b: TenantClient;

beforeAll(async () => {
  h = await createIngressHarness('stuck_runs', { engines: 'db' });
  a = tenantClient(h.app, TENANT_A);
  b = tenantClient(h.app, TENANT_B);
  // Publishing checks the live catalog: a worker providing the action registers, the definition is
  // published, then that worker goes away.
  await h.actionCatalog.register({ workerId: 'old-build', engines: ['db'], actions: [VANISHED], ttlMs: 60_000 });
  for (const definition of [CALLS_VANISHED, WAITS_FOR_EVENT]) expect((await a.post('/v1/workflows', definition)).statusCode).toBe(201);
  await h.actionCatalog.unregister('old-build');
}, 120_000);
afterAll(async () => h?.close());

async function start(workflow: string, input: unknown): Promise<string> {
  const res = await a.post('/v1/runs', { workflow, input, engine: 'db' });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { runId: string }).runId;
}

async function stuck(client: TenantClient, query = ''): Promise<ListRunsResponse> {
  const res = await client.get(`/v1/runs?stuck=true${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ListRunsResponse;
}

/** The item's reason, which must be ACTION_NOT_PROVIDED. */
function actionReason(item: ListRunsResponse['items'][number]): ActionNotProvidedReason {
  const reason = item.stuckReason;
  if (reason?.code !== 'ACTION_NOT_PROVIDED') throw new Error(`run ${item.runId}: expected ACTION_NOT_PROVIDED, got ${JSON.stringify(reason)}`);
  return reason;
}

/** The engine parked the run on the action (its step waits for it); read through the run table the engine writes. */
async function parkedOn(runId: string): Promise<{ needs_action: string | null }> {
  return waitFor(
    async () => (await h.db.pool.query<{ needs_action: string | null }>(`select needs_action from ${h.db.schema}.workflow_runs where run_id = $1`, [runId])).rows[0]!,
    (row) => row.needs_action !== null,
    { timeoutMs: 30_000, intervalMs: 100 },
  );
}

describe('GET /v1/runs?stuck=true', () => {
  it('lists a run parked on an action no live worker provides with ACTION_NOT_PROVIDED; not a normal waiting run, not to another tenant', async () => {
    const parked = await start(CALLS_VANISHED.name, {});
    const waiting = await start(WAITS_FOR_EVENT.name, { key: 'k-1' });
    expect((await parkedOn(parked)).needs_action).toBe('ops.vanished@1');
    await waitFor(
      async () => (await a.get(`/v1/runs/${waiting}`)).json() as RunView,
      (run) => run.waits.some((w) => w.type === 'EVENT'),
      { timeoutMs: 30_000, intervalMs: 100 },
    );

    const listed = await stuck(a);
    expect(listed.nextCursor).toBeNull();
    expect(listed.items).toEqual([
      {
        runId: parked,
        workflow: CALLS_VANISHED.name,
        version: '1.0.0',
        engine: 'db',
        status: expect.stringMatching(/^(RUNNING|WAITING)$/),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        stuckReason: {
          code: 'ACTION_NOT_PROVIDED',
          message: expect.stringContaining('ops.vanished@1'),
          action: 'ops.vanished@1',
          since: expect.any(String),
          deadline: expect.any(String),
        },
      },
    ]);
    const reason = actionReason(listed.items[0]!);
    // the engine's default action wait is a day
    expect(Date.parse(reason.deadline!) - Date.parse(reason.since)).toBe(86_400_000);

    expect(await stuck(b)).toEqual({ items: [], nextCursor: null });
    expect((await stuck(a, `&workflow=${WAITS_FOR_EVENT.name}`)).items).toEqual([]);
    expect((await stuck(a, '&engine=temporal')).items).toEqual([]);
    // the plain list shows both runs, without stuckReason
    const plain = (await a.get('/v1/runs')).json() as ListRunsResponse;
    expect(plain.items.map((r) => r.runId).sort()).toEqual([parked, waiting].sort());
    expect(plain.items.some((r) => 'stuckReason' in r)).toBe(false);
  });

  it('a run parked on an action some live worker provides is not stuck (that worker claims it)', async () => {
    await h.actionCatalog.register({ workerId: 'new-build', engines: ['temporal'], actions: [VANISHED], ttlMs: 60_000 });
    // a provider of the other engine does not count
    expect((await stuck(a)).items).toHaveLength(1);
    await h.actionCatalog.register({ workerId: 'new-build', engines: ['db'], actions: [VANISHED], ttlMs: 60_000 });
    expect((await stuck(a)).items).toEqual([]);
    await h.actionCatalog.unregister('new-build');
    expect((await stuck(a)).items).toHaveLength(1);
  });

  it('pages by limit and cursor', async () => {
    const more = [await start(CALLS_VANISHED.name, {}), await start(CALLS_VANISHED.name, {})];
    for (const runId of more) await parkedOn(runId);
    const first = await stuck(a, '&limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await stuck(a, `&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((r) => r.runId);
    expect(new Set(ids).size).toBe(3);
    expect(ids).toEqual(expect.arrayContaining(more));
    const since = [...first.items, ...second.items].map((r) => actionReason(r).since);
    expect([...since].sort()).toEqual(since);
  });

  it('answers 400 VALIDATION_ERROR for a filter a stuck run cannot match, a foreign cursor or a bad stuck value', async () => {
    const withStatus = await a.get('/v1/runs?stuck=true&status=FAILED');
    expect(withStatus.statusCode).toBe(400);
    expect(withStatus.json()).toMatchObject({ error: { code: 'VALIDATION_ERROR', issues: [{ path: 'status', code: 'NOT_WITH_STUCK' }] } });
    const badCursor = await a.get('/v1/runs?stuck=true&cursor=abc');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json()).toMatchObject({ error: { code: 'VALIDATION_ERROR', issues: [{ path: 'cursor', code: 'INVALID_CURSOR' }] } });
    const forged = await a.get(`/v1/runs?stuck=true&cursor=${Buffer.from('[0,"not json"]').toString('base64url')}`);
    expect(forged.statusCode).toBe(400);
    expect((await a.get('/v1/runs?stuck=yes')).statusCode).toBe(400);
  });
});
