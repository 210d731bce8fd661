import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createTemporalEngine } from '@baton/temporal-adapter';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitForPayment } from '../__fixtures__/definitions.js';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, type IngressHarness } from '../__fixtures__/ingress-harness.js';

// An ingress whose Temporal engine points at an address where nothing listens (Temporal is down).
let h: IngressHarness;
let a: TenantClient;
let connection: Connection;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  // No gRPC retry interceptor: the default one retries UNAVAILABLE for ~20 s before the same error.
  connection = Connection.lazy({ address: `127.0.0.1:${await closedPort()}`, interceptors: [] });
  const temporal = createTemporalEngine({ client: new Client({ connection }), taskQueue: 'baton-temporal-down' });
  h = await createIngressHarness('temporal-down', { temporal });
  a = tenantClient(h.app, TENANT_A);
  expect((await a.post('/v1/workflows', waitForPayment())).statusCode).toBe(201);
});
afterAll(async () => {
  await h?.close();
  await connection?.close();
});

it('answers a start Temporal did not accept 503 ENGINE_UNAVAILABLE and leaves the run FAILED, not RUNNING', async () => {
  const res = await a.post('/v1/runs', { workflow: 'billing.wait-payment', input: { invoiceId: 'inv-1' }, engine: 'temporal' });
  expect(res.statusCode).toBe(503);
  const refusal = errorOf(res);
  expect(refusal).toMatchObject({ code: 'ENGINE_UNAVAILABLE', engine: 'temporal', startAccepted: false });
  const runId = refusal.runId as string;
  const run = (await a.get(`/v1/runs/${runId}`)).json() as { status: string; error?: { code: string; category: string; message: string } };
  expect(run.status).toBe('FAILED');
  expect(run.error).toMatchObject({ code: 'ENGINE_UNAVAILABLE', category: 'TransientError', message: expect.stringContaining('Temporal did not accept the start') });
  expect(((await a.get('/v1/runs?status=RUNNING')).json() as { items: unknown[] }).items).toEqual([]);
});
