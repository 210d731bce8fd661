import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { signedStreamEntryFields } from '../stream/stream-signature.js';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderTriggered } from '../__fixtures__/definitions.js';
import { requireEnv } from '../__fixtures__/test-database.js';
import { waitFor } from '../__fixtures__/wait-for.js';
import { loadIngressConfig } from '../config/ingress-config.js';
import { createIngressProcess, type IngressProcess } from './create-ingress-process.js';

// The process as main.ts wires it from the environment, answering on a real listening socket.
const schema = `t_ingress_process_${randomUUID().slice(0, 8)}`;
const stream = `test:ingress:process:${randomUUID()}`;
const key = 'key-process-0123456789';
let ingress: IngressProcess;
let url: string;

beforeAll(async () => {
  const config = loadIngressConfig({
    DATABASE_URL: requireEnv('DATABASE_URL'),
    BATON_DB_SCHEMA: schema,
    REDIS_URL: requireEnv('REDIS_URL'),
    TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
    BATON_API_KEYS: `acme:${key}`,
    BATON_INGRESS_PORT: '0',
    BATON_INGRESS_BODY_LIMIT: '65536',
    BATON_EVENT_STREAM: stream,
    BATON_EVENT_STREAM_RECLAIM_IDLE_MS: '1000',
  });
  ingress = await createIngressProcess(config, { logger: pino({ level: 'silent' }) });
  url = await ingress.start();
});

afterAll(async () => {
  await ingress?.stop();
  const pool = new pg.Pool({ connectionString: requireEnv('DATABASE_URL') });
  await pool.query(`drop schema if exists "${schema}" cascade`);
  await pool.end();
});

const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

describe('the wired ingress process over a real socket', () => {
  it('migrated its schema and reports the database, Temporal and Redis reachable', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { database: { ok: true }, temporal: { ok: true }, redis: { ok: true } } });
  });

  it('publishes a definition and starts a run on the Postgres engine', async () => {
    const published = await fetch(`${url}/v1/workflows`, { method: 'POST', headers, body: JSON.stringify(orderTriggered) });
    expect(published.status).toBe(201);
    const started = await fetch(`${url}/v1/runs`, { method: 'POST', headers, body: JSON.stringify({ workflow: 'shop.on-order', input: { orderId: 'o1' } }) });
    expect(started.status).toBe(201);
    expect(await started.json()).toMatchObject({ engine: 'db' });
  });

  it('answers 401, 413 and malformed JSON in the error form on the wire', async () => {
    const noKey = await fetch(`${url}/v1/runs`);
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');

    const big = await fetch(`${url}/v1/events`, { method: 'POST', headers, body: JSON.stringify({ eventId: 'e', eventName: 'X', payload: 'x'.repeat(70_000) }) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');

    const malformed = await fetch(`${url}/v1/events`, { method: 'POST', headers, body: '{"eventId":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
  });

  it('answers a request the HTTP parser rejects 400 in the error form', async () => {
    const { port } = new URL(url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { error: { code: string } };
    expect(body.error.code).toBe('VALIDATION_ERROR');
  });

  it('consumes the configured stream: an entry starts the event-triggered workflow', async () => {
    const redis = new Redis(requireEnv('REDIS_URL'));
    try {
      await redis.xadd(stream, '*', ...signedStreamEntryFields({ apiKey: key, tenant: 'acme', event: { eventId: `ev-${randomUUID()}`, eventName: 'ORDER_PLACED', payload: { orderId: 'from-stream' } } }));
      const runs = await waitFor(
        () => fetch(`${url}/v1/runs?workflow=shop.on-order`, { headers }).then((r) => r.json() as Promise<{ items: Array<{ runId: string }> }>),
        (page) => page.items.length === 2,
      );
      const run = (await (await fetch(`${url}/v1/runs/${runs.items[0]!.runId}`, { headers })).json()) as { input: unknown };
      expect(run.input).toEqual({ orderId: 'from-stream', key: null });
      await waitFor(() => redis.xpending(stream, 'baton-ingress') as Promise<[number]>, ([n]) => n === 0);
    } finally {
      redis.disconnect();
    }
  });

  it('stops gracefully: the socket closes and the consumer stops', async () => {
    await ingress.stop();
    expect(ingress.consumer?.running).toBe(false);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
