import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventAcceptedResponse, RunView } from '@baton/event-schemas';
import { orderTriggered, waitForPayment } from '../__fixtures__/definitions.js';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { requireEnv } from '../__fixtures__/test-database.js';
import { waitFor } from '../__fixtures__/wait-for.js';
import { createEventRouter } from '../events/event-router.js';
import { createEventStreamConsumer } from '../stream/event-stream-consumer.js';
import { signedStreamEntryFields } from '../stream/stream-signature.js';
import { createApiKeyTable } from '../auth/api-keys.js';

let h: IngressHarness;
let a: TenantClient;
let b: TenantClient;

beforeAll(async () => {
  h = await createIngressHarness('events', { engines: 'both', correlation: JSON.stringify({ PAID: ['invoice.id', 'invoiceId'], '*': 'ref' }) });
  a = tenantClient(h.app, TENANT_A);
  b = tenantClient(h.app, TENANT_B);
  for (const definition of [waitForPayment(), orderTriggered]) expect((await a.post('/v1/workflows', definition)).statusCode).toBe(201);
});
afterAll(async () => h?.close());

async function startWaiting(engine: 'db' | 'temporal', invoiceId: string): Promise<string> {
  const res = await a.post('/v1/runs', { workflow: 'billing.wait-payment', input: { invoiceId }, engine });
  expect(res.statusCode, res.body).toBe(201);
  const { runId } = res.json() as { runId: string };
  await untilRun(runId, (r) => r.status === 'WAITING' && r.waits.length === 1);
  return runId;
}

function untilRun(runId: string, done: (run: RunView) => boolean): Promise<RunView> {
  return waitFor(() => a.get(`/v1/runs/${runId}`).then((r) => r.json() as RunView), done, { timeoutMs: 20_000, intervalMs: 50 });
}

async function sendEvent(client: TenantClient, event: Record<string, unknown>): Promise<EventAcceptedResponse> {
  const res = await client.post('/v1/events', event);
  expect(res.statusCode, res.body).toBe(202);
  return res.json() as EventAcceptedResponse;
}

describe('POST /v1/events', () => {
  it('routes one event to the waits of runs on both engines, and both resume with it', async () => {
    const invoiceId = `inv-${randomUUID()}`;
    const dbRun = await startWaiting('db', invoiceId);
    const temporalRun = await startWaiting('temporal', invoiceId);
    const eventId = `ev-${randomUUID()}`;
    const accepted = await sendEvent(a, { eventId, eventName: 'PAID', correlationKey: invoiceId, payload: { amount: 40 } });
    expect(accepted).toMatchObject({ eventId, duplicate: false, correlationKey: invoiceId, correlationSource: 'explicit', startedRuns: [] });
    expect([...accepted.routed].sort((x, y) => x.engine.localeCompare(y.engine))).toEqual([
      { runId: dbRun, engine: 'db' },
      { runId: temporalRun, engine: 'temporal' },
    ]);
    for (const runId of [dbRun, temporalRun]) {
      const run = await untilRun(runId, (r) => r.status === 'SUCCEEDED');
      expect(run.output).toEqual({ amount: 40 });
    }
  });

  it('answers a duplicate eventId 202 duplicate:true, routes nothing twice (routed: [])', async () => {
    const invoiceId = `inv-${randomUUID()}`;
    const first = await startWaiting('db', invoiceId);
    const event = { eventId: `ev-${randomUUID()}`, eventName: 'PAID', correlationKey: invoiceId, payload: { n: 1 } };
    const accepted = await sendEvent(a, event);
    expect(accepted.routed).toEqual([{ runId: first, engine: 'db' }]);
    await untilRun(first, (r) => r.status === 'SUCCEEDED');

    // A run that starts waiting for the same key afterwards must not get the old event again.
    const later = await startWaiting('temporal', invoiceId);
    const again = await sendEvent(a, { ...event, payload: { n: 2 } });
    expect(again).toEqual({ ...accepted, duplicate: true, routed: [], startedRuns: [] });
    await new Promise((r) => setTimeout(r, 300));
    expect((await a.get(`/v1/runs/${later}`)).json()).toMatchObject({ status: 'WAITING' });
    expect((await h.stores.events.get(TENANT_A.tenant, event.eventId))?.deliveries).toBe(2);
  });

  it('derives the key from the configured payload paths when the envelope has none', async () => {
    const invoiceId = `inv-${randomUUID()}`;
    const runId = await startWaiting('db', invoiceId);
    const accepted = await sendEvent(a, { eventId: `ev-${randomUUID()}`, eventName: 'PAID', correlationKey: '   ', payload: { invoice: { id: invoiceId }, amount: 5 } });
    expect(accepted).toMatchObject({ correlationKey: invoiceId, correlationSource: 'derived', routed: [{ runId, engine: 'db' }] });
    expect((await untilRun(runId, (r) => r.status === 'SUCCEEDED')).output).toEqual({ invoice: { id: invoiceId }, amount: 5 });
  });

  it('audits an event without a key with CORRELATION_KEY_MISSING, resumes no wait, and still starts event-triggered workflows', async () => {
    const eventId = `ev-${randomUUID()}`;
    // A payload field named like the envelope key is never trusted as the key.
    const accepted = await sendEvent(a, { eventId, eventName: 'ORDER_PLACED', payload: { orderId: 'o-77', correlationKey: 'o-77' } });
    expect(accepted).toMatchObject({ eventId, duplicate: false, correlationKey: null, correlationSource: 'missing', routed: [] });
    expect(accepted.startedRuns).toEqual([{ runId: expect.any(String), workflow: 'shop.on-order', version: '1.0.0', engine: 'db', created: true }]);
    const audit = await h.stores.events.get(TENANT_A.tenant, eventId);
    expect(audit).toMatchObject({ status: 'PROCESSED', outcome: { correlationSource: 'missing', errors: [expect.objectContaining({ code: 'CORRELATION_KEY_MISSING' })] } });
    const started = await untilRun(accepted.startedRuns[0]!.runId, (r) => r.status === 'SUCCEEDED');
    expect(started.output).toEqual({ orderId: 'o-77', key: null });

    // The trigger is idempotent per (tenant, eventId, workflow).
    const again = await sendEvent(a, { eventId, eventName: 'ORDER_PLACED', payload: { orderId: 'o-77' } });
    expect(again.duplicate).toBe(true);
    const runs = (await a.get('/v1/runs?workflow=shop.on-order')).json() as { items: Array<{ runId: string }> };
    expect(runs.items.filter((r) => r.runId === accepted.startedRuns[0]!.runId)).toHaveLength(1);
    expect(runs.items).toHaveLength(1);
  });

  it("never routes an event to another tenant's waits, nor starts its workflows", async () => {
    const invoiceId = `inv-${randomUUID()}`;
    const dbRun = await startWaiting('db', invoiceId);
    const temporalRun = await startWaiting('temporal', invoiceId);
    const accepted = await sendEvent(b, { eventId: `ev-${randomUUID()}`, eventName: 'PAID', correlationKey: invoiceId, payload: {} });
    expect(accepted).toMatchObject({ routed: [], startedRuns: [] });
    const triggered = await sendEvent(b, { eventId: `ev-${randomUUID()}`, eventName: 'ORDER_PLACED', payload: { orderId: 'b-1' }, correlationKey: 'k' });
    expect(triggered.startedRuns).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    for (const runId of [dbRun, temporalRun]) expect((await a.get(`/v1/runs/${runId}`)).json()).toMatchObject({ status: 'WAITING' });
    // ...while the same event id from tenant A is a different event and routes.
    const own = await sendEvent(a, { eventId: `ev-${randomUUID()}`, eventName: 'PAID', correlationKey: invoiceId, payload: {} });
    expect(own.routed).toHaveLength(2);
  });

  it('validates the envelope: unknown fields, missing eventId, bad occurredAt answer 400 VALIDATION_ERROR', async () => {
    for (const event of [
      { eventId: 'e', eventName: 'PAID', payload: {}, tenant: TENANT_B.tenant },
      { eventName: 'PAID', payload: {} },
      { eventId: 'e', eventName: 'PAID', payload: {}, occurredAt: 'yesterday' },
    ]) {
      const res = await a.post('/v1/events', event);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_ERROR', issues: expect.any(Array) });
    }
  });

  it('names a missing JSON field as required: payload (events), input (runs), response (tasks)', async () => {
    const sent = [
      ['/v1/events', { eventId: 'no-payload', eventName: 'PAID' }, 'payload'],
      ['/v1/runs', { workflow: 'billing.wait-payment' }, 'input'],
      ['/v1/tasks/some-task/complete', {}, 'response'],
    ] as const;
    for (const [url, body, path] of sent) {
      const res = await a.post(url, body);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path, message: expect.stringMatching(/^required/) }] });
    }
  });

  it('counts received, duplicate, routed and unrouted events and observes the routing latency', async () => {
    const text = await h.metrics.registry.metrics();
    expect(text).toMatch(/baton_ingress_events_received_total\{source="http"\} \d+/);
    expect(text).toMatch(/baton_ingress_events_duplicate_total\{source="http"\} [1-9]/);
    expect(text).toMatch(/baton_ingress_events_routed_total\{source="http"\} [1-9]/);
    expect(text).toMatch(/baton_ingress_events_unrouted_total\{source="http",reason="correlation_key_missing"\} [1-9]/);
    expect(text).toMatch(/baton_ingress_event_deliveries_total\{engine="temporal"\} [1-9]/);
    expect(text).toMatch(/baton_ingress_event_routing_seconds_count\{source="http"\} [1-9]/);
  });
});

describe('events from the Redis stream', () => {
  it('routes a stream entry to waiting runs on both engines and acks it', async () => {
    const redis = new Redis(requireEnv('REDIS_URL'));
    const stream = `test:ingress:${randomUUID()}`;
    const consumer = createEventStreamConsumer({
      redis,
      router: createEventRouter({ runtime: h.runtime, metrics: h.metrics, logger: pino({ level: 'silent' }) }),
      stream,
      group: 'ingress',
      consumer: 'c1',
      blockMs: 50,
      signingKeys: createApiKeyTable([TENANT_A]).streamSigningKeys,
      metrics: h.metrics,
      logger: pino({ level: 'silent' }),
    });
    try {
      await consumer.start();
      const invoiceId = `inv-${randomUUID()}`;
      const dbRun = await startWaiting('db', invoiceId);
      const temporalRun = await startWaiting('temporal', invoiceId);
      await redis.xadd(stream, '*', ...signedStreamEntryFields({ apiKey: TENANT_A.key, tenant: TENANT_A.tenant, event: { eventId: `ev-${randomUUID()}`, eventName: 'PAID', payload: { invoiceId, via: 'stream' } } }));
      for (const runId of [dbRun, temporalRun]) expect((await untilRun(runId, (r) => r.status === 'SUCCEEDED')).output).toEqual({ invoiceId, via: 'stream' });
      await waitFor(() => redis.xpending(stream, 'ingress') as Promise<[number]>, ([count]) => count === 0);
      expect(await redis.xlen(`${stream}:dead`)).toBe(0);
    } finally {
      await consumer.stop();
      redis.disconnect();
    }
  });
});
