// Fault suite: Redis SIGKILLed and restarted mid-stream. A dedicated redis-server of this test (own
// port and data directory, append-only file fsynced at every write, as a deployment that promises
// "accepted" must run it), never the shared one. Redis is killed while the consumer is routing an
// entry it has read and not acknowledged yet, with the producer still writing. Every entry Redis
// accepted (XADD answered an id) is routed: its event is PROCESSED in the audit, nothing is
// dead-lettered, nothing is left pending, and no connection of the consumer reports errors to nobody.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createIngressHarness, TENANT_A, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { createApiKeyTable } from '../auth/api-keys.js';
import { createEventRouter, type EventRouter } from '../events/event-router.js';
import { createEventStreamConsumer, type EventStreamConsumer } from './event-stream-consumer.js';
import { signedStreamEntryFields } from './stream-signature.js';

const ENTRIES = 300;
/** The entry during whose routing Redis is killed. */
const KILL_AT = Math.floor(ENTRIES / 3);
// The harness's redis-server (tools/dev-services finds it the same way).
const binary = [process.env.REDIS_SERVER_PATH, '/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p): p is string => !!p && existsSync(p));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
}

let h: IngressHarness;
let dir: string;
let port: number;
let server: ChildProcess | undefined;
let consumerRedis: Redis | undefined;
let producer: Redis | undefined;
let consumer: EventStreamConsumer | undefined;

async function startRedis(): Promise<void> {
  const log = openSync(join(dir, 'redis.log'), 'a');
  const started = spawn(binary!, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'yes'], {
    stdio: ['ignore', log, log],
  });
  server = started;
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  const deadline = performance.now() + 30_000;
  try {
    for (;;) {
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        if (started.exitCode !== null) throw new Error(`the dedicated redis-server exited (${started.exitCode}); see ${join(dir, 'redis.log')}`);
        if (performance.now() > deadline) throw new Error('the dedicated redis-server did not answer within 30 s');
        probe.disconnect();
        await delay(100);
      }
    }
  } finally {
    probe.disconnect();
  }
}

async function killRedis(): Promise<void> {
  const current = server;
  if (!current || current.exitCode !== null || current.signalCode !== null) return;
  const exited = new Promise((resolve) => current.once('exit', resolve));
  current.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  if (!binary) return;
  h = await createIngressHarness('redis_restart');
  dir = mkdtempSync(join(tmpdir(), 'baton-redis-restart-'));
  port = await freePort();
  await startRedis();
}, 60_000);

afterAll(async () => {
  await consumer?.stop();
  consumerRedis?.disconnect();
  producer?.disconnect();
  await killRedis();
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Redis restarted mid-stream', () => {
  it.skipIf(!binary)(`no accepted entry of ${ENTRIES} is lost, none is left pending`, { timeout: 120_000 }, async () => {
    const unhandled = vi.spyOn(console, 'error');
    const stream = `fault:redis-restart:${randomUUID()}`;
    const eventIds = Array.from({ length: ENTRIES }, (_, i) => `redis-restart-${i}-${randomUUID()}`);
    // As the ingress process connects (commands wait for the connection to come back).
    consumerRedis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null });
    consumerRedis.on('error', () => undefined);

    // Redis is killed while the consumer routes entry KILL_AT (read, not acknowledged yet) and started again 0.5 s later.
    let restarted: Promise<void> | undefined;
    let routedAtKill = 0;
    let routes = 0;
    const router = createEventRouter({ runtime: h.runtime, metrics: h.metrics, logger: pino({ level: 'silent' }) });
    const killing: EventRouter = {
      async route(tenant, envelope, source) {
        routes += 1;
        if (!restarted && (envelope as { eventId?: string }).eventId === eventIds[KILL_AT]) {
          routedAtKill = routes;
          const killed = killRedis();
          restarted = killed.then(() => delay(500)).then(startRedis);
          // Routed while Redis is down: the acknowledgement waits for it (or the entry is claimed again).
          await killed;
        }
        return router.route(tenant, envelope, source);
      },
    };
    consumer = createEventStreamConsumer({
      redis: consumerRedis,
      router: killing,
      stream,
      group: 'ingress',
      consumer: 'c-1',
      blockMs: 100,
      reclaimIdleMs: 1000,
      maxAttempts: 50,
      signingKeys: createApiKeyTable([TENANT_A]).streamSigningKeys,
      metrics: h.metrics,
      logger: pino({ level: 'silent' }),
    });
    await consumer.start();

    // The producer retries what Redis did not accept; only an answered XADD counts as accepted.
    producer = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    producer.on('error', () => undefined);
    const accepted: string[] = [];
    let refused = 0;
    for (const [i, eventId] of eventIds.entries()) {
      const event = { eventId, eventName: 'REDIS_RESTART', payload: { i } };
      for (const deadline = performance.now() + 30_000; ; ) {
        try {
          await producer.xadd(stream, '*', ...signedStreamEntryFields({ apiKey: TENANT_A.key, tenant: TENANT_A.tenant, event }));
          accepted.push(event.eventId);
          break;
        } catch (err) {
          if (performance.now() > deadline) throw err;
          refused += 1;
          await delay(100);
        }
      }
      if (i % 10 === 0) await delay(5);
    }
    await restarted;

    const deadline = performance.now() + 60_000;
    let missing = accepted;
    let pending = -1;
    while (performance.now() < deadline) {
      const audits = await Promise.all(missing.map((id) => h.stores.events.get(TENANT_A.tenant, id)));
      missing = missing.filter((_, k) => audits[k]?.status !== 'PROCESSED');
      pending = ((await producer.xpending(stream, 'ingress')) as [number])[0];
      if (!missing.length && pending === 0) break;
      await delay(100);
    }
    console.info(
      `redis restart: killed while routing entry ${routedAtKill} of ${ENTRIES}; ${accepted.length} entries accepted, ${refused} XADDs refused while Redis was down; ` +
        `${accepted.length - missing.length} routed in ${routes} routings (${routes - ENTRIES} again after the restart); ${pending} left pending`,
    );
    expect(restarted).toBeDefined();
    expect(accepted).toHaveLength(ENTRIES);
    expect(missing).toEqual([]);
    expect(pending).toBe(0);
    expect(await producer.xlen(`${stream}:dead`)).toBe(0);
    // Every connection's errors went to a listener (the consumer's own reading connection too).
    expect(unhandled.mock.calls.filter((args) => String(args[0]).includes('Unhandled error event'))).toEqual([]);
    unhandled.mockRestore();
  });
});
