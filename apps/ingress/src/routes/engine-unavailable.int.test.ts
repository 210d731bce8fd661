import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitForPayment } from '../__fixtures__/definitions.js';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, type IngressHarness } from '../__fixtures__/ingress-harness.js';

// An ingress wired with no engine at all: every request that needs one fails with ENGINE_UNAVAILABLE.
let h: IngressHarness;
let a: TenantClient;

beforeAll(async () => {
  h = await createIngressHarness('no-engine');
  a = tenantClient(h.app, TENANT_A);
  expect((await a.post('/v1/workflows', waitForPayment())).statusCode).toBe(201);
});
afterAll(async () => h?.close());

async function existingRun(engine: 'db' | 'temporal', invoiceId: string): Promise<string> {
  // A run another process started (its engine is not wired here), waiting for PAID.
  const runId = randomUUID();
  const now = new Date().toISOString();
  await h.stores.runs.create(TENANT_A.tenant, {
    runId, workflow: 'billing.wait-payment', version: '1.0.0', definitionHash: 'h', engine, status: 'WAITING',
    input: { invoiceId }, executionKey: null, runKey: runId, createdAt: now,
  });
  await h.stores.waits.open(TENANT_A.tenant, { runId, engine, waitId: 'w1', type: 'EVENT', stepId: 'wait', eventName: 'PAID', correlationKey: invoiceId, createdAt: now });
  return runId;
}

it.each(['db', 'temporal'] as const)('refuses to start a run on the %s engine: 503 ENGINE_UNAVAILABLE, and creates nothing', async (engine) => {
  const res = await a.post('/v1/runs', { workflow: 'billing.wait-payment', input: { invoiceId: 'x' }, engine });
  expect(res.statusCode).toBe(503);
  expect(errorOf(res)).toMatchObject({ code: 'ENGINE_UNAVAILABLE', engine });
  expect(((await a.get('/v1/runs')).json() as { items: unknown[] }).items).toEqual([]);
});

it.each(['db', 'temporal'] as const)('refuses run control of a %s run: 503 ENGINE_UNAVAILABLE, and changes nothing', async (engine) => {
  const runId = await existingRun(engine, `inv-${randomUUID()}`);
  const before = (await a.get(`/v1/runs/${runId}`)).body;
  const res = await a.post(`/v1/runs/${runId}/cancel`, { reason: 'x' });
  expect(res.statusCode).toBe(503);
  expect(errorOf(res)).toMatchObject({ code: 'ENGINE_UNAVAILABLE', engine, runId });
  expect((await a.get(`/v1/runs/${runId}`)).body).toBe(before);
});

it('answers an event it could not hand to the engine 503 with the partial outcome, and routes it when sent again', async () => {
  const invoiceId = `inv-${randomUUID()}`;
  const runId = await existingRun('temporal', invoiceId);
  const event = { eventId: `ev-${randomUUID()}`, eventName: 'PAID', correlationKey: invoiceId, payload: {} };
  const res = await a.post('/v1/events', event);
  expect(res.statusCode).toBe(503);
  expect(errorOf(res)).toMatchObject({
    code: 'ENGINE_UNAVAILABLE',
    eventId: event.eventId,
    routed: [],
    errors: [expect.objectContaining({ code: 'ENGINE_UNAVAILABLE', runId, retryable: true })],
  });
  expect(await h.stores.events.get(TENANT_A.tenant, event.eventId)).toMatchObject({ status: 'FAILED' });
  // Not a duplicate: the routing did not finish, so the same event is routed (and fails) again.
  const again = await a.post('/v1/events', event);
  expect(again.statusCode).toBe(503);
  expect(await h.stores.events.get(TENANT_A.tenant, event.eventId)).toMatchObject({ status: 'FAILED', deliveries: 2 });
});
