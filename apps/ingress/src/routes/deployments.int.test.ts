// GET /v1/deployments and POST /v1/deployments/drain through HTTP: with the Temporal dev server (the
// harness's worker build is current; a waiting run is pinned to it) and without Temporal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrainResult, ListDeploymentsResponse, RunView } from '@baton/event-schemas';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { waitFor } from '../__fixtures__/wait-for.js';

const WAITS = {
  name: 'deploy.waits',
  version: '1.0.0',
  steps: [
    { id: 'go', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' }, timeoutMs: 600_000 },
    { id: 'done', type: 'control.return', output: 'done' },
  ],
};

describe('deployments with Temporal', () => {
  let h: IngressHarness;
  let a: TenantClient;
  let b: TenantClient;
  beforeAll(async () => {
    h = await createIngressHarness('deployments', { engines: 'both' });
    a = tenantClient(h.app, TENANT_A);
    b = tenantClient(h.app, TENANT_B);
    expect((await a.post('/v1/workflows', WAITS)).statusCode).toBe(201);
  }, 180_000);
  afterAll(async () => h?.close());

  it("lists the worker's build as current and polled with the caller's pinned run; a drain of the current build moves nothing", { timeout: 120_000 }, async () => {
    const started = await a.post('/v1/runs', { workflow: WAITS.name, engine: 'temporal', input: { key: 'k-1' } });
    expect(started.statusCode, started.body).toBe(201);
    const { runId } = started.json() as { runId: string };
    await waitFor(
      async () => (await a.get(`/v1/runs/${runId}`)).json() as RunView,
      (run) => run.status === 'WAITING',
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    const res = await a.get('/v1/deployments');
    expect(res.statusCode, res.body).toBe(200);
    const listed = res.json() as ListDeploymentsResponse;
    const mine = listed.items.filter((v) => v.deploymentName.startsWith('baton-ingress-test-') && v.runs > 0);
    expect(mine).toEqual([expect.objectContaining({ buildId: 'build-1', current: true, ramping: false, status: 'CURRENT', runs: 1 })]);
    expect(mine[0]!.pollers).toBeGreaterThan(0);
    // another tenant's runs are not counted
    const other = (await b.get('/v1/deployments')).json() as ListDeploymentsResponse;
    expect(other.items.find((v) => v.deploymentName === mine[0]!.deploymentName)?.runs).toBe(0);

    const drained = await a.post('/v1/deployments/drain', { buildId: 'build-1' });
    expect(drained.statusCode, drained.body).toBe(200);
    expect(drained.json() as DrainResult).toEqual({
      dryRun: false,
      moved: [],
      refused: [{ runId, reason: 'ALREADY_ON_TARGET', message: expect.stringContaining('build-1') }],
      runsJudged: 1,
    });
  });
});

describe('deployments without Temporal', () => {
  let h: IngressHarness;
  let a: TenantClient;
  beforeAll(async () => {
    h = await createIngressHarness('deployments_none', { engines: 'db' });
    a = tenantClient(h.app, TENANT_A);
  }, 120_000);
  afterAll(async () => h?.close());

  it('answers an empty list with a note, a drain 503 ENGINE_UNAVAILABLE, and a bad drain body 400', async () => {
    const res = await a.get('/v1/deployments');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [], runsJudged: 0, note: expect.stringContaining('not configured') });
    const drain = await a.post('/v1/deployments/drain', { buildId: 'b-1' });
    expect(drain.statusCode).toBe(503);
    expect(errorOf(drain).code).toBe('ENGINE_UNAVAILABLE');
    for (const body of [{}, { buildId: 'b-1', workflow: 'w', version: '1.0.0' }, { workflow: 'w' }, { buildId: 'b-1', extra: 1 }]) {
      const bad = await a.post('/v1/deployments/drain', body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(bad).code).toBe('VALIDATION_ERROR');
    }
  });
});
