import type { JsonValue } from '@baton/event-schemas';
import { describe, expect, it } from 'vitest';
import { isBatonError } from '../errors/baton-error.js';
import { InMemoryEventAudit } from '../ports/in-memory/in-memory-event-audit.js';
import { createHarness, definition, openEventWait } from './__fixtures__/runtime-harness.js';

const triggered = (name: string, version: string, input?: JsonValue) =>
  definition(name, version, { trigger: input === undefined ? { type: 'event', eventName: 'ORDER_PAID' } : { type: 'event', eventName: 'ORDER_PAID', input } });

async function waitingRun(h: ReturnType<typeof createHarness>, tenant: string, engine: 'db' | 'temporal', key: string): Promise<string> {
  const { runId } = await h.runtime.startRun(tenant, { workflow: 'waiter', input: null, engine });
  await openEventWait(h.stores, tenant, runId, engine, 'ORDER_PAID', key);
  return runId;
}

async function setup(options: Parameters<typeof createHarness>[0] = {}) {
  const h = createHarness(options);
  for (const tenant of ['acme', 'globex']) await h.runtime.publishDefinition(tenant, definition('waiter', '1.0.0'));
  return h;
}

describe('deliverEvent', () => {
  it('routes an event to every run waiting on (name, key), each through its own engine', async () => {
    const h = await setup();
    const onDb = await waitingRun(h, 'acme', 'db', 'ord-1');
    const onTemporal = await waitingRun(h, 'acme', 'temporal', 'ord-1');
    const otherKey = await waitingRun(h, 'acme', 'db', 'ord-2');
    const result = await h.runtime.deliverEvent('acme', { eventId: 'e1', eventName: 'ORDER_PAID', correlationKey: ' ord-1 ', payload: { paid: true } });
    expect(result).toEqual({
      eventId: 'e1',
      duplicate: false,
      correlationKey: 'ord-1',
      correlationSource: 'explicit',
      routed: [
        { runId: onDb, engine: 'db' },
        { runId: onTemporal, engine: 'temporal' },
      ],
      startedRuns: [],
      errors: [],
      processed: true,
    });
    // the receive time goes with the event: a wait takes only events received in its window
    const delivered = { eventId: 'e1', eventName: 'ORDER_PAID', correlationKey: 'ord-1', payload: { paid: true }, receivedAt: expect.any(String) };
    expect(h.db.calls.filter((c) => c.op === 'deliverEvent')).toEqual([{ op: 'deliverEvent', runId: onDb, arg: delivered }]);
    expect(h.temporal.calls.filter((c) => c.op === 'deliverEvent')).toEqual([{ op: 'deliverEvent', runId: onTemporal, arg: delivered }]);
    expect(h.db.calls.some((c) => c.runId === otherKey && c.op === 'deliverEvent')).toBe(false);
    expect(await h.stores.events.get('acme', 'e1')).toMatchObject({ status: 'PROCESSED', outcome: { correlationSource: 'explicit', routed: result.routed } });
  });

  it('answers a duplicate eventId with duplicate: true and routes nothing twice', async () => {
    const h = await setup();
    const runId = await waitingRun(h, 'acme', 'db', 'ord-1');
    const first = await h.runtime.deliverEvent('acme', { eventId: 'e1', eventName: 'ORDER_PAID', correlationKey: 'ord-1', payload: {} });
    const second = await h.runtime.deliverEvent('acme', { eventId: 'e1', eventName: 'ORDER_PAID', correlationKey: 'ord-1', payload: {} });
    expect(second).toEqual({ ...first, duplicate: true, routed: [], startedRuns: [] });
    expect(h.db.calls.filter((c) => c.op === 'deliverEvent')).toHaveLength(1);
    expect(first.routed).toEqual([{ runId, engine: 'db' }]);
    const audit = await h.stores.events.get('acme', 'e1');
    expect(audit).toMatchObject({ deliveries: 2, outcome: { routed: [{ runId, engine: 'db' }] } });
  });

  it('routes again on redelivery when routing did not finish (an engine failed)', async () => {
    const h = await setup();
    const runId = await waitingRun(h, 'acme', 'temporal', 'ord-1');
    h.temporal.failures.deliverEvent = new Error('temporal unavailable');
    const failed = await h.runtime.deliverEvent('acme', { eventId: 'e1', eventName: 'ORDER_PAID', correlationKey: 'ord-1', payload: {} });
    expect(failed.processed).toBe(false);
    expect(failed.routed).toEqual([]);
    expect(failed.errors).toEqual([{ code: 'ENGINE_DELIVERY_FAILED', message: 'temporal unavailable', runId, retryable: true }]);
    expect((await h.stores.events.get('acme', 'e1'))!.status).toBe('FAILED');
    const again = await h.runtime.deliverEvent('acme', { eventId: 'e1', eventName: 'ORDER_PAID', correlationKey: 'ord-1', payload: {} });
    expect(again).toMatchObject({ duplicate: false, processed: true, routed: [{ runId, engine: 'temporal' }] });
    expect(h.temporal.calls.filter((c) => c.op === 'deliverEvent')).toHaveLength(2);
  });

  it('routes again when a crash left the event recorded but unprocessed', async () => {
    const h = await setup();
    const runId = await waitingRun(h, 'acme', 'db', 'ord-1');
    await h.stores.events.record('acme', { eventId: 'e1', eventName: 'ORDER_PAID', payload: {}, receivedAt: 'x' });
    const result = await h.runtime.deliverEvent('acme', { eventId: 'e1', eventName: 'ORDER_PAID', correlationKey: 'ord-1', payload: {} });
    expect(result).toMatchObject({ duplicate: false, processed: true, routed: [{ runId, engine: 'db' }] });
  });

  it('reports a wait on an engine this process lacks as retryable ENGINE_UNAVAILABLE', async () => {
    const h = await setup();
    const runId = await waitingRun(h, 'acme', 'temporal', 'ord-1');
    const noTemporal = createHarness({ withTemporal: false, ...h.stores });
    const result = await noTemporal.runtime.deliverEvent('acme', { eventId: 'e9', eventName: 'ORDER_PAID', correlationKey: 'ord-1', payload: {} });
    expect(result.errors).toEqual([expect.objectContaining({ code: 'ENGINE_UNAVAILABLE', runId, retryable: true })]);
    expect(result.processed).toBe(false);
  });

  it('derives the key from configured payload paths', async () => {
    const h = await setup({ correlation: JSON.stringify({ ORDER_PAID: 'order.id', '*': 'ref' }) });
    const runId = await waitingRun(h, 'acme', 'db', '42');
    const result = await h.runtime.deliverEvent('acme', { eventId: 'e1', eventName: 'ORDER_PAID', payload: { order: { id: 42 } } });
    expect(result).toMatchObject({ correlationKey: '42', correlationSource: 'derived', routed: [{ runId, engine: 'db' }] });
  });

  it('audits a missing key with CORRELATION_KEY_MISSING, resumes nothing, and still starts triggered workflows', async () => {
    const h = await setup();
    await waitingRun(h, 'acme', 'db', 'ord-1');
    await h.runtime.publishDefinition('acme', triggered('on-paid', '1.0.0'));
    const result = await h.runtime.deliverEvent('acme', { eventId: 'evt-77', eventName: 'ORDER_PAID', payload: { correlationKey: 'ord-1' } });
    expect(result.correlationKey).toBeNull();
    expect(result.correlationSource).toBe('missing');
    expect(result.routed).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'CORRELATION_KEY_MISSING', retryable: false })]);
    expect(result.processed).toBe(true);
    expect(result.startedRuns).toEqual([{ runId: expect.any(String), workflow: 'on-paid', version: '1.0.0', engine: 'db', created: true }]);
    expect(h.db.calls.filter((c) => c.op === 'deliverEvent')).toEqual([]);
    expect(await h.stores.events.get('acme', 'evt-77')).toMatchObject({
      status: 'PROCESSED',
      outcome: { correlationSource: 'missing', errors: [expect.objectContaining({ code: 'CORRELATION_KEY_MISSING' })] },
    });
  });

  it('starts event-triggered workflows once per (tenant, eventId, workflow), with input from the trigger expressions', async () => {
    const h = await setup();
    await h.runtime.publishDefinition(
      'acme',
      triggered('on-paid', '1.0.0', { orderId: { $expr: 'event.payload.order.id' }, source: 'trigger', key: { $expr: 'event.correlationKey' } }),
    );
    await h.runtime.publishDefinition('acme', triggered('audit', '1.0.0'));
    const envelope = { eventId: 'e1', eventName: 'ORDER_PAID', correlationKey: 'k1', payload: { order: { id: 'o-7' } } };
    const first = await h.runtime.deliverEvent('acme', envelope);
    expect(first.startedRuns.map((r) => r.workflow)).toEqual(['audit', 'on-paid']);
    const onPaid = first.startedRuns.find((r) => r.workflow === 'on-paid')!;
    const started = h.db.calls.find((c) => c.op === 'start' && c.runId === onPaid.runId)!.arg as { input: unknown; triggerEventId: string };
    expect(started.input).toEqual({ orderId: 'o-7', source: 'trigger', key: 'k1' });
    expect(started.triggerEventId).toBe('e1');
    const audit = first.startedRuns.find((r) => r.workflow === 'audit')!;
    expect((h.db.calls.find((c) => c.runId === audit.runId)!.arg as { input: unknown }).input).toEqual({ order: { id: 'o-7' } });
    // routed again as if the audit row were lost (a fresh audit, same runs): the same runs come back, none new
    const fresh = createHarness({ ...h.stores, events: new InMemoryEventAudit() });
    const second = await fresh.runtime.deliverEvent('acme', envelope);
    expect(second.startedRuns.map((r) => [r.runId, r.created])).toEqual(first.startedRuns.map((r) => [r.runId, false]));
    expect((await h.runtime.listRuns('acme', { workflow: 'on-paid' })).items).toHaveLength(1);
  });

  it('starts a trigger only when the policy version is triggered by the event, and on the policy engine', async () => {
    const h = await setup();
    await h.runtime.publishDefinition('acme', triggered('flow', '1.0.0'));
    await h.runtime.publishDefinition('acme', definition('flow', '2.0.0'));
    expect((await h.runtime.deliverEvent('acme', { eventId: 'a', eventName: 'ORDER_PAID', payload: {} })).startedRuns).toEqual([]);
    await h.runtime.setPolicy('acme', 'flow', { versionPolicy: { type: 'exact', version: '1.0.0' }, engine: { type: 'temporal' } });
    expect((await h.runtime.deliverEvent('acme', { eventId: 'b', eventName: 'ORDER_PAID', payload: {} })).startedRuns).toEqual([
      expect.objectContaining({ workflow: 'flow', version: '1.0.0', engine: 'temporal', created: true }),
    ]);
  });

  it('records a trigger whose input fails its inputSchema or expression as a non-retryable error', async () => {
    const h = await setup();
    await h.runtime.publishDefinition('acme', triggered('strict', '1.0.0', { $expr: 'event.payload' }));
    await h.runtime.publishDefinition('acme', { ...triggered('strict', '1.0.1', { $expr: 'event.payload' }), inputSchema: { type: 'object', required: ['id'] } });
    await h.runtime.publishDefinition('acme', triggered('broken', '1.0.0', { $expr: '$random()' }));
    const result = await h.runtime.deliverEvent('acme', { eventId: 'e1', eventName: 'ORDER_PAID', correlationKey: 'k', payload: {} });
    expect(result.startedRuns).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({ workflow: 'broken', code: 'TRIGGER_INPUT_FAILED', retryable: false }),
      expect.objectContaining({ workflow: 'strict', code: 'VALIDATION_ERROR', retryable: false }),
    ]);
    expect(result.processed).toBe(true);
  });

  it('keeps tenants apart: an event reaches only its tenant waits and triggers', async () => {
    const h = await setup();
    await waitingRun(h, 'acme', 'db', 'ord-1');
    await h.runtime.publishDefinition('acme', triggered('on-paid', '1.0.0'));
    const result = await h.runtime.deliverEvent('globex', { eventId: 'e1', eventName: 'ORDER_PAID', correlationKey: 'ord-1', payload: {} });
    expect(result).toMatchObject({ routed: [], startedRuns: [], duplicate: false });
    // the same event id in another tenant is not a duplicate
    expect((await h.runtime.deliverEvent('acme', { eventId: 'e1', eventName: 'ORDER_PAID', correlationKey: 'ord-1', payload: {} })).duplicate).toBe(false);
  });

  it('refuses a malformed envelope with VALIDATION_ERROR before recording anything', async () => {
    const h = await setup();
    let thrown: unknown;
    try {
      await h.runtime.deliverEvent('acme', { eventName: 'X', payload: {} });
    } catch (err) {
      thrown = err;
    }
    expect(isBatonError(thrown, 'VALIDATION_ERROR')).toBe(true);
    expect(h.portCalls.filter((c) => c.port === 'events')).toEqual([]);
  });
});
