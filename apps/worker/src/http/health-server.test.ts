import { Registry, Counter } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from './health-server.js';

let server: HealthServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function registryWith(value: number): Registry {
  const registry = new Registry();
  new Counter({ name: 'probe_total', help: 'a probe', registers: [registry] }).inc(value);
  return registry;
}

describe('startHealthServer', () => {
  it('answers 200 with every check when all pass', async () => {
    server = await startHealthServer({ host: '127.0.0.1', port: 0, registry: registryWith(1), checks: { database: async () => ({ ok: true }) } });
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { database: { ok: true } } });
  });

  it('answers 503 naming the failing check, including a check that throws', async () => {
    server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      registry: registryWith(1),
      checks: {
        database: async () => ({ ok: true }),
        temporalEngine: async () => ({ ok: false, message: 'starting' }),
        postgresEngine: async () => {
          throw new Error('connection refused');
        },
      },
    });
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'unavailable',
      checks: { database: { ok: true }, temporalEngine: { ok: false, message: 'starting' }, postgresEngine: { ok: false, message: 'connection refused' } },
    });
  });

  it('serves the registry as Prometheus text and answers JSON errors elsewhere', async () => {
    server = await startHealthServer({ host: '127.0.0.1', port: 0, registry: registryWith(3), checks: {} });
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toMatch(/^probe_total 3$/m);
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const post = await fetch(`${server.url}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});
