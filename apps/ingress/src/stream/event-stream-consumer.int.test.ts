import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { createApiKeyTable } from '../auth/api-keys.js';
import { requireEnv } from '../__fixtures__/test-database.js';
import { waitFor } from '../__fixtures__/wait-for.js';
import { createEventRouter } from '../events/event-router.js';
import { DEAD_LETTER_FIELD } from './dead-letter.js';
import { createEventStreamConsumer, type EventStreamConsumer, type EventStreamConsumerOptions } from './event-stream-consumer.js';
import { entryFields, MalformedEntryCode } from './stream-entry.js';
import { signedStreamEntryFields } from './stream-signature.js';

let h: IngressHarness;
let redis: Redis;
const consumers: EventStreamConsumer[] = [];
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  // No engine is wired: an event for a waiting Temporal run fails with ENGINE_UNAVAILABLE (retryable).
  h = await createIngressHarness('stream');
  redis = new Redis(requireEnv('REDIS_URL'));
});
afterEach(async () => {
  for (const c of consumers.splice(0)) await c.stop();
});
afterAll(async () => {
  redis?.disconnect();
  await h?.close();
});

function startConsumer(stream: string, overrides: Partial<EventStreamConsumerOptions> = {}): Promise<EventStreamConsumer> {
  const consumer = createEventStreamConsumer({
    redis,
    router: createEventRouter({ runtime: h.runtime, metrics: h.metrics, logger }),
    stream,
    group: 'ingress',
    consumer: `c-${randomUUID().slice(0, 6)}`,
    blockMs: 50,
    reclaimIdleMs: 200,
    maxAttempts: 3,
    signingKeys: createApiKeyTable([TENANT_A, TENANT_B]).streamSigningKeys,
    metrics: h.metrics,
    logger,
    ...overrides,
  });
  consumers.push(consumer);
  return consumer.start().then(() => consumer);
}

const newStream = () => `test:ingress:${randomUUID()}`;
/** The fields of an entry signed with tenant A's key. */
const signedA = (event: unknown) => signedStreamEntryFields({ apiKey: TENANT_A.key, tenant: TENANT_A.tenant, event });

async function deadLetters(stream: string): Promise<Array<Map<string, string>>> {
  const entries = (await redis.xrange(`${stream}:dead`, '-', '+')) as Array<[string, string[]]>;
  return entries.map(([, flat]) => entryFields(flat));
}

async function pendingCount(stream: string): Promise<number> {
  const summary = (await redis.xpending(stream, 'ingress')) as [number, ...unknown[]];
  return summary[0];
}

describe('event stream consumer', () => {
  it('routes an entry, records it in the audit and acks it', async () => {
    const stream = newStream();
    await startConsumer(stream);
    const event = { eventId: `ev-${randomUUID()}`, eventName: 'ORDER_PLACED', correlationKey: 'order-1', payload: { total: 3 } };
    await redis.xadd(stream, '*', ...signedA(event));
    const audit = await waitFor(() => h.stores.events.get(TENANT_A.tenant, event.eventId), (a) => a?.status === 'PROCESSED');
    expect(audit?.outcome).toMatchObject({ correlationKey: 'order-1', correlationSource: 'explicit', routed: [], errors: [] });
    await waitFor(() => pendingCount(stream), (n) => n === 0);
    expect(await deadLetters(stream)).toEqual([]);
  });

  it.each([
    ['not JSON', signedA('{oops'), MalformedEntryCode.INVALID_JSON],
    ['an invalid envelope', signedA({ eventName: 'X', payload: {} }), MalformedEntryCode.INVALID_EVENT],
    ['no tenant', ['event', JSON.stringify({ eventId: 'e', eventName: 'X', payload: {} })], MalformedEntryCode.MISSING_FIELD],
    ['an unknown tenant', ['tenant', 'tenant-zz', 'event', JSON.stringify({ eventId: 'e', eventName: 'X', payload: {} })], MalformedEntryCode.UNKNOWN_TENANT],
    ['a NUL character', signedA({ eventId: `nul-${randomUUID()}`, eventName: 'X', payload: { a: 'x\u0000' } }), MalformedEntryCode.INVALID_JSON],
    ['3,000 levels of nesting', signedA(`{"eventId":"deep","eventName":"X","payload":${'['.repeat(3000)}${']'.repeat(3000)}}`), MalformedEntryCode.JSON_TOO_DEEP],
    ['no signature (a spoofed tenant)', ['tenant', TENANT_A.tenant, 'event', JSON.stringify({ eventId: 'e', eventName: 'X', payload: {} })], MalformedEntryCode.UNAUTHENTICATED],
    [
      "another tenant's signature",
      signedStreamEntryFields({ apiKey: TENANT_B.key, tenant: TENANT_B.tenant, event: { eventId: 'e', eventName: 'X', payload: {} } }).map((v, i) => (i === 1 ? TENANT_A.tenant : v)),
      MalformedEntryCode.UNAUTHENTICATED,
    ],
  ])('dead-letters an entry with %s at once, keeping its fields, and goes on', async (_what, fields, code) => {
    const stream = newStream();
    await startConsumer(stream);
    const badId = await redis.xadd(stream, '*', ...fields);
    const good = { eventId: `ev-${randomUUID()}`, eventName: 'AFTER_BAD', payload: {} };
    await redis.xadd(stream, '*', ...signedA(good));

    const [dead] = await waitFor(() => deadLetters(stream), (d) => d.length === 1);
    expect(dead!.get(DEAD_LETTER_FIELD.CODE)).toBe(code);
    expect(dead!.get(DEAD_LETTER_FIELD.ID)).toBe(badId);
    expect(dead!.get(DEAD_LETTER_FIELD.STREAM)).toBe(stream);
    expect(dead!.get(DEAD_LETTER_FIELD.DELIVERIES)).toBe('1');
    for (let i = 0; i < fields.length; i += 2) expect(dead!.get(fields[i]!)).toBe(fields[i + 1]);
    // The consumer survived and routed the next entry.
    await waitFor(() => h.stores.events.get(TENANT_A.tenant, good.eventId), (a) => a?.status === 'PROCESSED');
    await waitFor(() => pendingCount(stream), (n) => n === 0);
  });

  it('routes nothing for a spoofed or tampered entry: no audit row, no resumed wait, dead-lettered as UNAUTHENTICATED', async () => {
    const stream = newStream();
    await startConsumer(stream);
    const spoofed = { eventId: `spoof-${randomUUID()}`, eventName: 'PAID', correlationKey: 'inv-1', payload: {} };
    const tampered = { eventId: `tamper-${randomUUID()}`, eventName: 'PAID', correlationKey: 'inv-1', payload: { amount: 1 } };
    // Whoever can XADD but holds no key of tenant A: a bare tenant field, and a signed entry whose event was changed after signing.
    await redis.xadd(stream, '*', 'tenant', TENANT_A.tenant, 'event', JSON.stringify(spoofed));
    const signed = signedA(tampered);
    signed[3] = JSON.stringify({ ...tampered, payload: { amount: 1_000_000 } });
    await redis.xadd(stream, '*', ...signed);
    const dead = await waitFor(() => deadLetters(stream), (d) => d.length === 2);
    expect(dead.map((d) => d.get(DEAD_LETTER_FIELD.CODE))).toEqual([MalformedEntryCode.UNAUTHENTICATED, MalformedEntryCode.UNAUTHENTICATED]);
    expect(await h.stores.events.get(TENANT_A.tenant, spoofed.eventId)).toBeUndefined();
    expect(await h.stores.events.get(TENANT_A.tenant, tampered.eventId)).toBeUndefined();
    await waitFor(() => pendingCount(stream), (n) => n === 0);
  });

  it('leaves a failing entry pending, retries it after the idle time, and dead-letters it after maxAttempts', async () => {
    const stream = newStream();
    const runId = randomUUID();
    const now = new Date().toISOString();
    await h.stores.runs.create(TENANT_A.tenant, {
      runId, workflow: 'remote.wf', version: '1.0.0', definitionHash: 'h', engine: 'temporal', status: 'WAITING',
      input: {}, executionKey: null, runKey: runId, createdAt: now,
    });
    await h.stores.waits.open(TENANT_A.tenant, { runId, engine: 'temporal', waitId: 'w1', type: 'EVENT', stepId: 'wait', eventName: 'PAID', correlationKey: 'inv-9', createdAt: now });

    await startConsumer(stream, { maxAttempts: 3, reclaimIdleMs: 150 });
    const event = { eventId: `ev-${randomUUID()}`, eventName: 'PAID', correlationKey: 'inv-9', payload: {} };
    await redis.xadd(stream, '*', ...signedA(event));

    const [dead] = await waitFor(() => deadLetters(stream), (d) => d.length === 1, { timeoutMs: 10_000 });
    expect(dead!.get(DEAD_LETTER_FIELD.CODE)).toBe('ENGINE_UNAVAILABLE');
    expect(dead!.get(DEAD_LETTER_FIELD.DELIVERIES)).toBe('3');
    expect(dead!.get(DEAD_LETTER_FIELD.MESSAGE)).toContain("'temporal' engine");
    expect(await pendingCount(stream)).toBe(0);
    // The audit row says the routing failed, so a redrive of the same event routes it again.
    const audit = await h.stores.events.get(TENANT_A.tenant, event.eventId);
    expect(audit).toMatchObject({ status: 'FAILED', deliveries: 3 });
  });

  it('claims entries a dead consumer left pending and routes them', async () => {
    const stream = newStream();
    await redis.xgroup('CREATE', stream, 'ingress', '0', 'MKSTREAM');
    const event = { eventId: `ev-${randomUUID()}`, eventName: 'ORPHANED', correlationKey: 'k', payload: {} };
    await redis.xadd(stream, '*', ...signedA(event));
    // Another consumer reads the entry and dies before acking it.
    await redis.xreadgroup('GROUP', 'ingress', 'crashed-consumer', 'COUNT', 10, 'STREAMS', stream, '>');
    expect(await pendingCount(stream)).toBe(1);

    await startConsumer(stream, { reclaimIdleMs: 200 });
    await waitFor(() => h.stores.events.get(TENANT_A.tenant, event.eventId), (a) => a?.status === 'PROCESSED', { timeoutMs: 5_000 });
    await waitFor(() => pendingCount(stream), (n) => n === 0);
    expect(await h.metrics.registry.getSingleMetricAsString('baton_ingress_stream_entries_total')).toMatch(/outcome="reclaimed"\} [1-9]/);
  });

  it('stops promptly while blocked on an empty stream and lets a later consumer go on', async () => {
    const stream = newStream();
    const consumer = await startConsumer(stream, { blockMs: 5_000 });
    const started = performance.now();
    await consumer.stop();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(consumer.running).toBe(false);

    await startConsumer(stream);
    const event = { eventId: `ev-${randomUUID()}`, eventName: 'LATER', payload: {} };
    await redis.xadd(stream, '*', ...signedA(event));
    await waitFor(() => h.stores.events.get(TENANT_A.tenant, event.eventId), (a) => a?.status === 'PROCESSED');
  });
});
