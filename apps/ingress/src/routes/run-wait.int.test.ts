import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEngine, type PostgresEngine } from '@baton/db-legacy-adapter';
import type { RunView } from '@baton/event-schemas';
import { waitForPayment } from '../__fixtures__/definitions.js';
import { requireEnv } from '../__fixtures__/test-database.js';
import { loadIngressConfig } from '../config/ingress-config.js';
import { builtinActionRegistry } from '../wiring/definition-validator.js';
import { createIngressProcess, type IngressProcess } from '../wiring/create-ingress-process.js';

// The wired ingress on a real socket, and a Postgres engine worker beside it (as deployed: the
// ingress only starts runs and answers; the worker advances them and writes their end).
const schema = `t_ingress_run_wait_${randomUUID().slice(0, 8)}`;
const keys = { acme: 'key-acme-wait', globex: 'key-globex-wait' };
const WAITERS = 1000;
let ingress: IngressProcess;
let url: string;
let workerPool: pg.Pool;
let worker: PostgresEngine;
// One socket per waiting request: 1,000 requests wait at once, none queues behind another.
const agent = new Agent({ keepAlive: true, maxSockets: WAITERS + 50 });

beforeAll(async () => {
  const config = loadIngressConfig({
    DATABASE_URL: requireEnv('DATABASE_URL'),
    BATON_DB_SCHEMA: schema,
    BATON_DB_POOL_SIZE: '6',
    BATON_API_KEYS: `acme:${keys.acme},globex:${keys.globex}`,
    BATON_INGRESS_PORT: '0',
  });
  ingress = await createIngressProcess(config, { logger: pino({ level: 'silent' }) });
  url = await ingress.start();
  workerPool = new pg.Pool({ connectionString: requireEnv('DATABASE_URL'), max: 6 });
  workerPool.on('error', () => undefined);
  worker = createPostgresEngine({ pool: workerPool, schema, actions: builtinActionRegistry({ enableTestActions: false }), concurrency: 4 });
  await worker.startWorker();
  await ingress.completions.ready;
  expect((await send('acme', 'POST', '/v1/workflows', waitForPayment())).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await ingress?.stop();
  await worker?.stopWorker({ graceMs: 1_000 });
  await workerPool?.query(`drop schema if exists "${schema}" cascade`);
  await workerPool?.end();
  agent.destroy();
});

function send(tenant: keyof typeof keys, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, agent, headers: { authorization: `Bearer ${keys[tenant]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Runs `task` over `items`, `width` at a time. */
async function inBatches<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  }));
  return results;
}

describe('waiting for a run over HTTP (LISTEN/NOTIFY, no polling)', () => {
  const invoices = Array.from({ length: WAITERS }, (_, i) => `inv-${i}-${randomUUID().slice(0, 6)}`);
  let runIds: string[] = [];

  it(`${WAITERS} concurrent GET ?wait requests all answer when their runs finish, each with its own run`, async () => {
    // Starts and events go through the ingress's run service directly (the HTTP routes are tested
    // elsewhere); the waiting requests go over HTTP.
    runIds = await inBatches(invoices, 32, async (invoiceId) => (await ingress.runtime.startRun('acme', { workflow: 'billing.wait-payment', input: { invoiceId } })).runId);
    let answered = 0;
    const waiting = runIds.map((runId) =>
      send('acme', 'GET', `/v1/runs/${runId}?wait=60000`).finally(() => {
        answered++;
      }),
    );
    // Every request is now watching its run; none answered, though most runs are WAITING already.
    await expect.poll(() => ingress.completions.watchedRuns(), { timeout: 90_000 }).toBe(WAITERS);
    expect(answered).toBe(0);

    await inBatches(invoices, 64, async (invoiceId) => {
      // A run whose wait is not open yet takes the event from the event inbox when it opens.
      const routed = await ingress.runtime.deliverEvent('acme', { eventId: `paid-${invoiceId}`, eventName: 'PAID', correlationKey: invoiceId, payload: { invoiceId } });
      expect(routed.duplicate).toBe(false);
    });
    const answers = await Promise.all(waiting);
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ runId: runIds[i], status: 'SUCCEEDED', output: { invoiceId: invoices[i] } });
    });
    expect(ingress.completions.watchedRuns()).toBe(0);
  }, 240_000);

  it('answers another tenant at once with 404, and a wait that runs out with the current state', async () => {
    const invoiceId = `inv-open-${randomUUID()}`;
    const started = await send('acme', 'POST', '/v1/runs', { workflow: 'billing.wait-payment', input: { invoiceId }, wait: 100 });
    expect(started.status).toBe(201);
    const { runId } = started.json as { runId: string };
    expect((await send('globex', 'GET', `/v1/runs/${runId}?wait=60000`)).status).toBe(404);
    const timedOut = await send('acme', 'GET', `/v1/runs/${runId}?wait=250`);
    expect(timedOut.status).toBe(200);
    expect(timedOut.json).toMatchObject({ runId, status: expect.stringMatching(/RUNNING|WAITING/) });
  });

  it('a stopping ingress answers the requests still waiting with their current state', async () => {
    const invoiceId = `inv-stop-${randomUUID()}`;
    const { runId } = (await send('acme', 'POST', '/v1/runs', { workflow: 'billing.wait-payment', input: { invoiceId } })).json as { runId: string };
    const waiting = send('acme', 'GET', `/v1/runs/${runId}?wait=60000`);
    await expect.poll(() => ingress.completions.watchedRuns()).toBe(1);
    const began = performance.now();
    const stopping = ingress.stop();
    const answer = await waiting;
    await stopping;
    expect(performance.now() - began).toBeLessThan(10_000);
    expect(answer.status).toBe(200);
    expect((answer.json as RunView).status).toMatch(/RUNNING|WAITING/);
  });
});
