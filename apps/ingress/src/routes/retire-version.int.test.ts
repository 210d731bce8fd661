// POST /v1/workflows/:name/versions/:version/retire on the real Postgres engine: a retired version
// gets no new run, an explicit start of it is refused, its runs are listed as stuck, per tenant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListRunsResponse, RetiredVersion, RunView, WorkflowSummary } from '@baton/event-schemas';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { waitFor } from '../__fixtures__/wait-for.js';

const waits = (version: string) => ({
  name: 'ops.retiring',
  version,
  steps: [
    { id: 'go', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' }, timeoutMs: 600_000 },
    { id: 'done', type: 'control.return', output: version },
  ],
});

let h: IngressHarness;
let a: TenantClient;
let b: TenantClient;

beforeAll(async () => {
  h = await createIngressHarness('retire_version', { engines: 'db' });
  a = tenantClient(h.app, TENANT_A);
  b = tenantClient(h.app, TENANT_B);
  for (const version of ['1.0.0', '1.1.0']) expect((await a.post('/v1/workflows', waits(version))).statusCode).toBe(201);
  expect((await b.post('/v1/workflows', waits('1.1.0'))).statusCode).toBe(201);
}, 120_000);
afterAll(async () => h?.close());

async function start(client: TenantClient, body: Record<string, unknown>): Promise<{ runId: string; version: string }> {
  const res = await client.post('/v1/runs', { workflow: 'ops.retiring', engine: 'db', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { runId: string; version: string };
}

async function waiting(client: TenantClient, runId: string): Promise<void> {
  await waitFor(
    async () => (await client.get(`/v1/runs/${runId}`)).json() as RunView,
    (run) => run.status === 'WAITING',
    { timeoutMs: 30_000, intervalMs: 100 },
  );
}

describe('retired definition versions', () => {
  it('retires a version once; new runs skip it, an explicit or exact start is 409, its runs are stuck DEFINITION_VERSION_RETIRED, per tenant', async () => {
    const onRetired = await start(a, { input: { key: 'k-old' } });
    expect(onRetired.version).toBe('1.1.0');
    const onKept = await start(a, { input: { key: 'k-kept' }, version: '1.0.0' });
    const otherTenant = await start(b, { input: { key: 'k-b' } });
    await Promise.all([waiting(a, onRetired.runId), waiting(a, onKept.runId), waiting(b, otherTenant.runId)]);

    const retire = await a.post('/v1/workflows/ops.retiring/versions/1.1.0/retire', { reason: 'bad step' });
    expect(retire.statusCode, retire.body).toBe(200);
    const retired = retire.json() as RetiredVersion;
    expect(retired).toEqual({ name: 'ops.retiring', version: '1.1.0', retiredAt: expect.any(String), reason: 'bad step' });
    const again = await a.post('/v1/workflows/ops.retiring/versions/1.1.0/retire', {});
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(retired);

    const summary = (await a.get('/v1/workflows/ops.retiring')).json() as WorkflowSummary;
    expect(summary.versions.map((v) => [v.version, v.retiredAt ?? null, v.retiredReason ?? null])).toEqual([
      ['1.0.0', null, null],
      ['1.1.0', retired.retiredAt, 'bad step'],
    ]);

    // latest skips the retired version; naming it (or an exact policy naming it) is refused
    expect((await start(a, { input: { key: 'k-new' } })).version).toBe('1.0.0');
    const explicit = await a.post('/v1/runs', { workflow: 'ops.retiring', engine: 'db', version: '1.1.0', input: { key: 'k-x' } });
    expect(explicit.statusCode).toBe(409);
    expect(errorOf(explicit).code).toBe('WORKFLOW_VERSION_RETIRED');
    expect((await a.put('/v1/workflows/ops.retiring/policy', { versionPolicy: { type: 'exact', version: '1.1.0' } })).statusCode).toBe(200);
    const exact = await a.post('/v1/runs', { workflow: 'ops.retiring', engine: 'db', input: { key: 'k-y' } });
    expect(exact.statusCode).toBe(409);
    expect(errorOf(exact).code).toBe('WORKFLOW_VERSION_RETIRED');
    expect((await a.put('/v1/workflows/ops.retiring/policy', { versionPolicy: { type: 'weighted', weights: { '1.0.0': 1, '1.1.0': 99 } } })).statusCode).toBe(200);
    expect((await start(a, { input: { key: 'k-z' } })).version).toBe('1.0.0');

    const stuck = (await a.get('/v1/runs?stuck=true&workflow=ops.retiring')).json() as ListRunsResponse;
    expect(stuck.items.map((i) => [i.runId, i.stuckReason])).toEqual([
      [
        onRetired.runId,
        {
          code: 'DEFINITION_VERSION_RETIRED',
          message: expect.stringContaining('ops.retiring@1.1.0'),
          workflow: 'ops.retiring',
          version: '1.1.0',
          retiredAt: retired.retiredAt,
          retiredReason: 'bad step',
        },
      ],
    ]);
    expect(((await a.get('/v1/runs?stuck=true&engine=temporal')).json() as ListRunsResponse).items).toEqual([]);

    // the other tenant's 1.1.0 is not retired: its run is not stuck and a start still gets 1.1.0
    expect(((await b.get('/v1/runs?stuck=true')).json() as ListRunsResponse).items).toEqual([]);
    expect((await start(b, { input: { key: 'k-b2' } })).version).toBe('1.1.0');
  });

  it('answers 404 WORKFLOW_NOT_FOUND for a version not published for the tenant and 400 for a bad body', async () => {
    const missing = await a.post('/v1/workflows/ops.retiring/versions/9.9.9/retire', {});
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('WORKFLOW_NOT_FOUND');
    await b.post('/v1/workflows', waits('2.0.0'));
    const foreign = await a.post('/v1/workflows/ops.retiring/versions/2.0.0/retire', {});
    expect(foreign.statusCode).toBe(404);
    const bad = await a.post('/v1/workflows/ops.retiring/versions/1.0.0/retire', { reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).code).toBe('VALIDATION_ERROR');
    const noSuchField = await a.post('/v1/workflows/ops.retiring/versions/1.0.0/retire', { why: 'x' });
    expect(noSuchField.statusCode).toBe(400);
  });
});
