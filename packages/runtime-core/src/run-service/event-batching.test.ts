import { describe, expect, it } from 'vitest';
import { isBatonError } from '../errors/baton-error.js';
import { createHarness, definition, openEventWait } from './__fixtures__/runtime-harness.js';
import { createEventBatcher } from './event-batcher.js';
import type { EventSettlement } from './route-event-batch.js';

type Harness = ReturnType<typeof createHarness>;

async function setup(options: Parameters<typeof createHarness>[0] = {}) {
  const h = createHarness(options);
  for (const tenant of ['acme', 'globex']) await h.runtime.publishDefinition(tenant, definition('waiter', '1.0.0'));
  return h;
}

async function waitingRun(h: Harness, tenant: string, engine: 'db' | 'temporal', key: string): Promise<string> {
  const { runId } = await h.runtime.startRun(tenant, { workflow: 'waiter', input: null, engine });
  await openEventWait(h.stores, tenant, runId, engine, 'ORDER_PAID', key);
  return runId;
}

const paid = (eventId: string, key?: string) => ({ eventId, eventName: 'ORDER_PAID', payload: { eventId }, ...(key === undefined ? {} : { correlationKey: key }) });
const calls = (h: Harness, method: string) => h.portCalls.filter((c) => c.method === method).length;

describe('deliverEvent micro-batching', () => {
  it('routes concurrent events together: one store call per step for the whole batch, each event its own answer', async () => {
    const h = await setup();
    const runs: string[] = [];
    for (let i = 0; i < 6; i++) runs.push(await waitingRun(h, 'acme', i % 2 ? 'temporal' : 'db', `k${i}`));
    await h.runtime.publishDefinition('acme', definition('on-paid', '1.0.0', { trigger: { type: 'event', eventName: 'ORDER_PAID' } }));
    h.portCalls.length = 0;

    const results = await Promise.all(runs.map((_, i) => h.runtime.deliverEvent('acme', paid(`e${i}`, `k${i}`))));

    results.forEach((result, i) => {
      expect(result).toMatchObject({ eventId: `e${i}`, duplicate: false, correlationKey: `k${i}`, processed: true, routed: [{ runId: runs[i], engine: i % 2 ? 'temporal' : 'db' }] });
      expect(result.startedRuns).toEqual([expect.objectContaining({ workflow: 'on-paid', created: true })]);
    });
    expect([calls(h, 'recordMany'), calls(h, 'findWaitingMany'), calls(h, 'listEventTriggeredMany'), calls(h, 'markProcessedMany')]).toEqual([1, 1, 1, 1]);
    expect([calls(h, 'record'), calls(h, 'findWaiting'), calls(h, 'listEventTriggered'), calls(h, 'markProcessed')]).toEqual([0, 0, 0, 0]);
    for (let i = 0; i < 6; i++) {
      expect(await h.stores.events.get('acme', `e${i}`)).toMatchObject({ status: 'PROCESSED', outcome: { routed: results[i]!.routed, startedRuns: results[i]!.startedRuns } });
    }
    // each started run is its own (idempotent per event)
    expect(new Set(results.map((r) => r.startedRuns[0]!.runId)).size).toBe(6);
  });

  it('routes a repeated event id once inside one batch; the repeat answers duplicate and both deliveries are counted', async () => {
    const h = await setup();
    const runId = await waitingRun(h, 'acme', 'db', 'k1');
    const [first, second] = await Promise.all([h.runtime.deliverEvent('acme', paid('e1', 'k1')), h.runtime.deliverEvent('acme', paid('e1', 'k1'))]);
    expect(first).toMatchObject({ duplicate: false, routed: [{ runId, engine: 'db' }], processed: true });
    expect(second).toEqual({ ...first, duplicate: true, routed: [], startedRuns: [] });
    expect(h.db.calls.filter((c) => c.op === 'deliverEvent')).toHaveLength(1);
    expect(await h.stores.events.get('acme', 'e1')).toMatchObject({ deliveries: 2, status: 'PROCESSED', outcome: { routed: [{ runId, engine: 'db' }] } });
  });

  it('releases the batch slot by the batchedDelivery flag, not the engine name: a db-kind engine without it does not hold the next batch', async () => {
    const h = await setup({ capabilities: { db: {} } });
    const blocked = await waitingRun(h, 'acme', 'db', 'k1');
    const other = await waitingRun(h, 'acme', 'temporal', 'k2');
    let entered!: () => void;
    const deliveryEntered = new Promise<void>((resolve) => (entered = resolve));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const deliver = h.db.deliverEvent;
    h.db.deliverEvent = async (run, event) => {
      entered();
      await gate;
      return deliver(run, event);
    };
    const first = h.runtime.deliverEvent('acme', paid('e1', 'k1'));
    await deliveryEntered;
    // The first batch is still delivering to the db-kind engine; the next one is routed meanwhile.
    expect(await h.runtime.deliverEvent('acme', paid('e2', 'k2'))).toMatchObject({ eventId: 'e2', routed: [{ runId: other, engine: 'temporal' }] });
    open();
    expect(await first).toMatchObject({ eventId: 'e1', routed: [{ runId: blocked, engine: 'db' }] });
  });

  it('keeps the events of a batch apart: one failing engine delivery leaves only its event unprocessed', async () => {
    const h = await setup();
    const onTemporal = await waitingRun(h, 'acme', 'temporal', 'k1');
    const onDb = await waitingRun(h, 'acme', 'db', 'k2');
    h.temporal.failures.deliverEvent = new Error('temporal unavailable');
    const [failed, routed, unrouted] = await Promise.all([
      h.runtime.deliverEvent('acme', paid('e1', 'k1')),
      h.runtime.deliverEvent('acme', paid('e2', 'k2')),
      h.runtime.deliverEvent('acme', paid('e3')),
    ]);
    expect(failed).toMatchObject({ processed: false, routed: [], errors: [{ code: 'ENGINE_DELIVERY_FAILED', runId: onTemporal, retryable: true }] });
    expect(routed).toMatchObject({ processed: true, routed: [{ runId: onDb, engine: 'db' }], errors: [] });
    expect(unrouted).toMatchObject({ processed: true, correlationSource: 'missing', errors: [{ code: 'CORRELATION_KEY_MISSING' }] });
    expect((await h.stores.events.get('acme', 'e1'))!.status).toBe('FAILED');
    expect((await h.stores.events.get('acme', 'e2'))!.status).toBe('PROCESSED');
    // the failed one routes again when redelivered; the processed one is a no-op
    const [again, noop] = await Promise.all([h.runtime.deliverEvent('acme', paid('e1', 'k1')), h.runtime.deliverEvent('acme', paid('e2', 'k2'))]);
    expect(again).toMatchObject({ duplicate: false, processed: true, routed: [{ runId: onTemporal, engine: 'temporal' }] });
    expect(noop).toMatchObject({ duplicate: true, routed: [] });
    expect(h.db.calls.filter((c) => c.op === 'deliverEvent')).toHaveLength(1);
  });

  it('fails the unanswered events of a batch when a store fails, leaving them to be routed on redelivery', async () => {
    const h = await setup();
    const runId = await waitingRun(h, 'acme', 'db', 'k1');
    await h.runtime.deliverEvent('acme', paid('done', 'other'));
    const markProcessedMany = h.stores.events.markProcessedMany.bind(h.stores.events);
    h.stores.events.markProcessedMany = async () => {
      throw new Error('connection lost');
    };
    const settled = await Promise.allSettled([h.runtime.deliverEvent('acme', paid('e1', 'k1')), h.runtime.deliverEvent('acme', paid('done', 'other'))]);
    expect(settled[0]).toMatchObject({ status: 'rejected', reason: { message: 'connection lost' } });
    // the processed duplicate was answered from the audit before the failure
    expect(settled[1]).toMatchObject({ status: 'fulfilled', value: { duplicate: true } });
    expect((await h.stores.events.get('acme', 'e1'))!.status).toBe('RECEIVED');
    h.stores.events.markProcessedMany = markProcessedMany;
    expect(await h.runtime.deliverEvent('acme', paid('e1', 'k1'))).toMatchObject({ duplicate: false, processed: true, routed: [{ runId, engine: 'db' }] });
  });

  it('groups a batch by tenant: the same event id in two tenants is two events, each routed in its tenant only', async () => {
    const h = await setup();
    const acme = await waitingRun(h, 'acme', 'db', 'k1');
    const globex = await waitingRun(h, 'globex', 'db', 'k1');
    const [a, g] = await Promise.all([h.runtime.deliverEvent('acme', paid('e1', 'k1')), h.runtime.deliverEvent('globex', paid('e1', 'k1'))]);
    expect(a).toMatchObject({ duplicate: false, routed: [{ runId: acme, engine: 'db' }] });
    expect(g).toMatchObject({ duplicate: false, routed: [{ runId: globex, engine: 'db' }] });
  });

  it('refuses a malformed envelope at once, without holding up or failing the rest of the batch', async () => {
    const h = await setup();
    const runId = await waitingRun(h, 'acme', 'db', 'k1');
    const [bad, good] = await Promise.allSettled([h.runtime.deliverEvent('acme', { eventName: 'X' }), h.runtime.deliverEvent('acme', paid('e1', 'k1'))]);
    expect(bad.status === 'rejected' && isBatonError(bad.reason, 'VALIDATION_ERROR')).toBe(true);
    expect(good).toMatchObject({ status: 'fulfilled', value: { routed: [{ runId, engine: 'db' }] } });
  });

  it('does not hold the next batch back for a Temporal delivery: a slow signal delays only its own event', async () => {
    const h = await setup();
    const onTemporal = await waitingRun(h, 'acme', 'temporal', 'k1');
    const onDb = await waitingRun(h, 'acme', 'db', 'k2');
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const signal = h.temporal.deliverEvent.bind(h.temporal);
    h.temporal.deliverEvent = async (run, event) => {
      await gate;
      await signal(run, event);
    };

    const slow = h.runtime.deliverEvent('acme', paid('e1', 'k1'));
    let slowSettled = false;
    void slow.finally(() => (slowSettled = true));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first batch is in flight
    const fast = await Promise.race([h.runtime.deliverEvent('acme', paid('e2', 'k2')), new Promise((resolve) => setTimeout(() => resolve('held back'), 2_000))]);

    expect(fast).toMatchObject({ eventId: 'e2', processed: true, routed: [{ runId: onDb, engine: 'db' }] });
    expect(slowSettled).toBe(false);
    expect((await h.stores.events.get('acme', 'e1'))!.status).not.toBe('PROCESSED');
    openGate();
    expect(await slow).toMatchObject({ eventId: 'e1', processed: true, routed: [{ runId: onTemporal, engine: 'temporal' }] });
    expect((await h.stores.events.get('acme', 'e1'))!.status).toBe('PROCESSED');
  });

  it('routes each event on its own with eventBatching: false', async () => {
    const h = await setup({ eventBatching: false });
    await waitingRun(h, 'acme', 'db', 'k1');
    h.portCalls.length = 0;
    await Promise.all([h.runtime.deliverEvent('acme', paid('e1', 'k1')), h.runtime.deliverEvent('acme', paid('e2', 'k2'))]);
    expect(calls(h, 'recordMany')).toBe(2);
  });
});

describe('createEventBatcher', () => {
  const accepted = (eventId: string) => ({ event: { eventId, eventName: 'E', payload: null }, receivedAt: new Date(0) });
  const answer = (eventId: string): EventSettlement => ({
    ok: true,
    result: { eventId, duplicate: false, correlationKey: null, correlationSource: 'missing', routed: [], startedRuns: [], errors: [], processed: true },
  });

  it('batches what arrives while a batch is in flight, up to maxBatchSize, with at most maxInFlight batches at once', async () => {
    const batches: string[][] = [];
    let running = 0;
    let maxRunning = 0;
    const batcher = createEventBatcher(
      async (_tenant, batch) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        batches.push(batch.map((a) => a.event.eventId));
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return batch.map((a) => answer(a.event.eventId));
      },
      { maxBatchSize: 3, maxInFlight: 1 },
    );
    const first = batcher.deliver('t', accepted('a'));
    await new Promise((resolve) => setImmediate(resolve));
    const rest = ['b', 'c', 'd', 'e'].map((id) => batcher.deliver('t', accepted(id)));
    const results = await Promise.all([first, ...rest]);
    expect(results.map((r) => r.eventId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(batches).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
    expect(maxRunning).toBe(1);
  });

  it('starts the next batch once a batch releases its slot, before that batch has finished', async () => {
    const started: string[] = [];
    let finishFirst!: () => void;
    const firstDone = new Promise<void>((resolve) => (finishFirst = resolve));
    const batcher = createEventBatcher(
      async (_tenant, batch, release) => {
        started.push(batch.map((a) => a.event.eventId).join());
        if (started.length === 1) {
          release();
          release(); // a second call changes nothing
          await firstDone;
        }
        return batch.map((a) => answer(a.event.eventId));
      },
      { maxInFlight: 1 },
    );
    const first = batcher.deliver('t', accepted('a'));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await batcher.deliver('t', accepted('b'))).eventId).toBe('b');
    expect((await batcher.deliver('t', accepted('c'))).eventId).toBe('c');
    expect(started).toEqual(['a', 'b', 'c']);
    finishFirst();
    expect((await first).eventId).toBe('a');
  });

  it('rejects the events of a batch whose routing throws, and keeps serving later ones', async () => {
    let fail = true;
    const batcher = createEventBatcher(async (_tenant, batch) => {
      if (fail) throw new Error('boom');
      return batch.map((a) => answer(a.event.eventId));
    });
    await expect(Promise.all([batcher.deliver('t', accepted('a')), batcher.deliver('t', accepted('b'))])).rejects.toThrow('boom');
    fail = false;
    expect((await batcher.deliver('t', accepted('c'))).eventId).toBe('c');
  });

  /** A batcher whose route answers at once and records each batch's event ids. */
  function recordingBatcher(options: Parameters<typeof createEventBatcher>[1]) {
    const batches: string[][] = [];
    const batcher = createEventBatcher(async (_tenant, batch) => {
      batches.push(batch.map((a) => a.event.eventId));
      return batch.map((a) => answer(a.event.eventId));
    }, options);
    const deliver = (...ids: string[]) => Promise.all(ids.map((id) => batcher.deliver('t', accepted(id))));
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    return { batches, deliver, nextTurn };
  }

  it('under load, a batch waits up to lingerMs for the events that arrive after it was due: they go together', async () => {
    const b = recordingBatcher({ lingerMs: 200 });
    await b.deliver('a', 'b');
    // The previous batch held two events: c waits, and d, sent a turn later, joins it.
    const c = b.deliver('c');
    await b.nextTurn();
    await Promise.all([c, b.deliver('d')]);
    expect(b.batches).toEqual([['a', 'b'], ['c', 'd']]);

    const plain = recordingBatcher({ lingerMs: 0 });
    await plain.deliver('a', 'b');
    const c0 = plain.deliver('c');
    await plain.nextTurn();
    await Promise.all([c0, plain.deliver('d')]);
    expect(plain.batches).toEqual([['a', 'b'], ['c'], ['d']]);
  });

  it('never holds a lone event under no load, and does not wait out the linger once maxBatchSize events are queued', async () => {
    // A linger longer than the test's timeout: any wait for it would fail the test.
    const b = recordingBatcher({ lingerMs: 600_000, maxBatchSize: 3 });
    await b.deliver('a');
    await b.deliver('b');
    expect(b.batches).toEqual([['a'], ['b']]);
    await b.deliver('c', 'd');
    // under load now: three queued events make a full batch at once
    await b.deliver('e', 'f', 'g');
    expect(b.batches).toEqual([['a'], ['b'], ['c', 'd'], ['e', 'f', 'g']]);
  });

  it('under load, routes a batch as soon as as many events are queued as the last batch held, without waiting out the linger', async () => {
    // A linger longer than the test's timeout: any wait for it would fail the test. The clients
    // of the last batch of two are both back once two events are queued; nothing is left to wait for.
    const b = recordingBatcher({ lingerMs: 600_000 });
    await b.deliver('a', 'b');
    const c = b.deliver('c');
    await b.nextTurn();
    expect(b.batches).toEqual([['a', 'b']]); // one of two is back: c waits for the other
    await Promise.all([c, b.deliver('d')]);
    // three at once after a batch of two: all three go together
    await b.deliver('e', 'f', 'g');
    expect(b.batches).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f', 'g']]);
  });

  it('refuses limits that are not positive integers, and a negative or fractional linger', () => {
    expect(() => createEventBatcher(async () => [], { maxBatchSize: 0 })).toThrow(RangeError);
    expect(() => createEventBatcher(async () => [], { maxInFlight: 1.5 })).toThrow(RangeError);
    expect(() => createEventBatcher(async () => [], { lingerMs: -1 })).toThrow(RangeError);
    expect(() => createEventBatcher(async () => [], { lingerMs: 0.5 })).toThrow(RangeError);
  });
});
