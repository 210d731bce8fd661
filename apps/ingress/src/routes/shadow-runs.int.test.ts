import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '@baton/event-schemas';
import { createActionRegistry, parseEgressAllowList } from '@baton/runtime-core';
import { startCountingServer, type CountingServer } from '../__fixtures__/counting-server.js';
import { tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { waitFor } from '../__fixtures__/wait-for.js';

// Shadow runs (issue 17, item 1): a shadow executes the same definition on the other engine
// without effects, on both directions (Postgres primary / Temporal shadow and the reverse).
let h: IngressHarness;
let a: TenantClient;
let server: CountingServer;

/** Calls the counting server once with the run's key, then returns what it answered. */
const callOnce = (name: string) => ({
  name,
  version: '1.0.0',
  steps: [
    { id: 'call', type: 'action.call', action: 'http.request', actionVersion: 1, input: { url: { $expr: 'input.url' }, method: 'POST', body: { key: { $expr: 'input.key' } } }, saveAs: 'vars.call' },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.call.body' } },
  ],
});

beforeAll(async () => {
  server = await startCountingServer();
  const actions = createActionRegistry({ enableTestActions: true, http: { allow: parseEgressAllowList(`127.0.0.1:${server.port}`) } });
  h = await createIngressHarness('shadow_runs', { engines: 'both', actions });
  a = tenantClient(h.app, TENANT_A);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await server?.close();
});

// TEMPORARY until the policy's shadow field lands (wt/i17b): the store answers it.
const shadowPolicies = new Map<string, { percent: number }>();
async function shadowAll(workflow: string, primary: 'db' | 'temporal'): Promise<void> {
  const res = await a.put(`/v1/workflows/${workflow}/policy`, { engine: { type: primary } });
  expect(res.statusCode, res.body).toBe(200);
  if (shadowPolicies.size === 0) {
    const store = h.stores.definitions;
    const original = store.getPolicy.bind(store);
    store.getPolicy = async (tenant, name) => {
      const p = await original(tenant, name);
      const shadow = shadowPolicies.get(name);
      return p && shadow ? ({ ...p, shadow } as typeof p) : p;
    };
  }
  shadowPolicies.set(workflow, { percent: 100 });
}

function untilCompared(runId: string, timeoutMs = 60_000): Promise<RunView> {
  return waitFor(
    () => a.get(`/v1/runs/${runId}`).then((r) => r.json() as RunView),
    (r) => r.shadow !== undefined && r.shadow.comparison !== 'PENDING',
    { timeoutMs, intervalMs: 100 },
  );
}

describe.each([
  ['db', 'temporal'],
  ['temporal', 'db'],
] as const)('shadow runs: %s primary, %s shadow', (primary, shadowEngine) => {
  it('an http.request is called exactly once per primary run while 100% of runs are shadowed; the shadow is not listed', async () => {
    const workflow = `shadow.call-once-${primary}`;
    expect((await a.post('/v1/workflows', callOnce(workflow))).statusCode).toBe(201);
    await shadowAll(workflow, primary);
    const keys = Array.from({ length: 3 }, () => `k-${randomUUID()}`);
    const runIds: string[] = [];
    for (const key of keys) {
      const res = await a.post('/v1/runs', { workflow, input: { url: server.url, key } });
      expect(res.statusCode, res.body).toBe(201);
      runIds.push((res.json() as { runId: string }).runId);
    }
    for (const [i, runId] of runIds.entries()) {
      const run = await untilCompared(runId);
      expect(run).toMatchObject({ status: 'SUCCEEDED', engine: primary, output: { key: keys[i], count: 1 } });
      const shadowRun = (await a.get(`/v1/runs/${run.shadow!.runId}`)).json() as RunView;
      expect(run.shadow, JSON.stringify({ shadowRun, steps: (await a.get(`/v1/runs/${run.shadow!.runId}/steps`)).json() as unknown })).toMatchObject({
        engine: shadowEngine,
        status: 'SUCCEEDED',
        comparison: 'MATCH',
      });
      expect(run.shadow?.runId).not.toBe(runId);
    }
    for (const key of keys) expect(server.counts.get(key)).toBe(1);

    const listed = (await a.get(`/v1/runs?workflow=${workflow}`)).json() as { items: { runId: string }[] };
    expect(listed.items.map((r) => r.runId).sort()).toEqual([...runIds].sort());
  });
});
