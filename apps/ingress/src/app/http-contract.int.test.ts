import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createPostgresStores } from '@baton/db-legacy-adapter';
import { createRuntime } from '@baton/runtime-core';
import { auth, createIngressHarness, TENANT_A, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { createApiKeyTable } from '../auth/api-keys.js';
import { createIngressMetrics } from '../metrics/ingress-metrics.js';
import { builtinActionRegistry, createDefinitionValidator } from '../wiring/definition-validator.js';
import { buildIngressApp } from './build-app.js';

/** Every route of SPEC-api and the console's read routes (apps/ingress/README.md), as fastify/OpenAPI spell the path. */
const SPEC_ROUTES = [
  ['post', '/v1/workflows'],
  ['get', '/v1/workflows/{name}'],
  ['get', '/v1/workflows/{name}/shadow'],
  ['get', '/v1/workflows/{name}/upgrade-plan'],
  ['post', '/v1/workflows/{name}/upgrade'],
  ['get', '/v1/workflows/{name}/upgrades'],
  ['put', '/v1/workflows/{name}/policy'],
  ['post', '/v1/runs'],
  ['get', '/v1/runs/{runId}'],
  ['get', '/v1/runs'],
  ['get', '/v1/runs/{runId}/steps'],
  ['post', '/v1/events'],
  ['get', '/v1/tasks'],
  ['post', '/v1/tasks/{taskId}/complete'],
  ['post', '/v1/runs/{runId}/cancel'],
  ['post', '/v1/runs/{runId}/retry'],
  ['post', '/v1/runs/{runId}/resume'],
  ['get', '/healthz'],
  ['get', '/metrics'],
  ['get', '/v1/workflows'],
  ['get', '/v1/workflows/{name}/versions/{version}'],
  ['get', '/v1/events'],
  ['get', '/v1/entities/{workflow}/{entityKey}'],
] as const;

const PUBLIC_ROUTES = new Set(['/healthz', '/metrics', '/openapi.json']);

let h: IngressHarness;
beforeAll(async () => {
  h = await createIngressHarness('contract', { bodyLimit: 64 * 1024 });
});
afterAll(async () => h?.close());

function expectErrorBody(body: string, code: string): Record<string, unknown> {
  const parsed = JSON.parse(body) as { error: Record<string, unknown> };
  expect(parsed.error).toMatchObject({ code, message: expect.any(String) });
  expect(body).not.toMatch(/\bat .+\.(js|ts):\d+/); // no stack trace
  return parsed.error;
}

describe('authentication', () => {
  it.each(SPEC_ROUTES.filter(([, path]) => !PUBLIC_ROUTES.has(path)))('%s %s answers 401 without a key, with a wrong key, and with a malformed header', async (method, path) => {
    const url = path.replace('{name}', 'wf').replace('{runId}', 'r1').replace('{taskId}', 't1').replace('{workflow}', 'wf').replace('{entityKey}', 'k1');
    for (const headers of [{}, { authorization: 'Bearer not-a-configured-key' }, { authorization: `Basic ${TENANT_A.key}` }, { authorization: 'Bearer' }]) {
      const res = await h.app.inject({ method: method.toUpperCase() as 'GET', url, headers, payload: method === 'get' ? undefined : {} });
      expect(res.statusCode).toBe(401);
      expectErrorBody(res.body, 'UNAUTHORIZED');
    }
  });

  it('needs no key for /healthz, /metrics, /openapi.json and /docs', async () => {
    for (const url of ['/healthz', '/metrics', '/openapi.json', '/docs']) {
      const res = await h.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
    }
  });
});

describe('errors in the SPEC-api form', () => {
  it('answers an unknown route 404 NOT_FOUND, with or without a key', async () => {
    for (const headers of [{}, auth(TENANT_A)]) {
      const res = await h.app.inject({ method: 'GET', url: '/v1/nothing-here', headers });
      expect(res.statusCode).toBe(404);
      expectErrorBody(res.body, 'NOT_FOUND');
    }
    const wrongMethod = await h.app.inject({ method: 'DELETE', url: '/v1/runs', headers: auth(TENANT_A) });
    expect(wrongMethod.statusCode).toBe(404);
    expectErrorBody(wrongMethod.body, 'NOT_FOUND');
  });

  it('answers malformed JSON 400 VALIDATION_ERROR', async () => {
    for (const payload of ['{"eventId": "e1",', '{"__proto__": {"x": 1}}', '']) {
      const res = await h.app.inject({ method: 'POST', url: '/v1/events', headers: { ...auth(TENANT_A), 'content-type': 'application/json' }, payload });
      expect(res.statusCode).toBe(400);
      const error = expectErrorBody(res.body, 'VALIDATION_ERROR');
      expect(error['issues']).toEqual([expect.objectContaining({ path: '', code: expect.stringMatching(/invalid_json|empty_body/) })]);
    }
  });

  it('answers a body over the limit 413 PAYLOAD_TOO_LARGE', async () => {
    const payload = JSON.stringify({ eventId: 'big', eventName: 'BIG', payload: { blob: 'x'.repeat(70 * 1024) } });
    const res = await h.app.inject({ method: 'POST', url: '/v1/events', headers: { ...auth(TENANT_A), 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(413);
    const error = expectErrorBody(res.body, 'PAYLOAD_TOO_LARGE');
    // the answer names the limit, so the client knows how much it may send
    expect(error).toMatchObject({ limitBytes: 64 * 1024, message: 'the request body is larger than the limit of 65536 bytes' });
  });

  it('answers a non-JSON content type 415 in the error form', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/events', headers: { ...auth(TENANT_A), 'content-type': 'application/xml' }, payload: '<event/>' });
    expect(res.statusCode).toBe(415);
    expectErrorBody(res.body, 'VALIDATION_ERROR');
  });

  it('answers body, query and path validation failures 400 with located issues', async () => {
    const body = await h.app.inject({ method: 'POST', url: '/v1/events', headers: auth(TENANT_A), payload: { eventName: 'X', payload: {}, tenant: 'tenant-b' } });
    expect(body.statusCode).toBe(400);
    const bodyIssues = expectErrorBody(body.body, 'VALIDATION_ERROR')['issues'] as Array<{ path: string; code: string }>;
    expect(bodyIssues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'eventId', code: 'invalid_type' }), expect.objectContaining({ code: 'unrecognized_keys' })]),
    );

    const query = await h.app.inject({ method: 'GET', url: '/v1/runs?limit=0&status=DONE', headers: auth(TENANT_A) });
    expect(query.statusCode).toBe(400);
    const queryIssues = expectErrorBody(query.body, 'VALIDATION_ERROR')['issues'] as Array<{ path: string }>;
    expect(queryIssues.map((i) => i.path).sort()).toEqual(['query.limit', 'query.status']);

    const params = await h.app.inject({ method: 'GET', url: '/v1/workflows/Not%20A%20Name', headers: auth(TENANT_A) });
    expect(params.statusCode).toBe(400);
    expect((expectErrorBody(params.body, 'VALIDATION_ERROR')['issues'] as Array<{ path: string }>)[0]?.path).toBe('params.name');

    const missingBody = await h.app.inject({ method: 'POST', url: '/v1/runs/r1/cancel', headers: auth(TENANT_A) });
    expect(missingBody.statusCode).toBe(400);
    expectErrorBody(missingBody.body, 'VALIDATION_ERROR');
  });

  it('answers a malformed URL 400 in the error form', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/runs/%E0%A4%A', headers: auth(TENANT_A) });
    expect(res.statusCode).toBe(400);
    expectErrorBody(res.body, 'VALIDATION_ERROR');
  });
});

describe('OpenAPI document', () => {
  it('documents every SPEC-api route with the bearer scheme, and every $ref resolves', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
      security: unknown[];
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes['bearer']).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.security).toEqual([{ bearer: [] }]);
    for (const [method, path] of SPEC_ROUTES) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      if (PUBLIC_ROUTES.has(path)) expect(operation!.security).toEqual([]);
      else expect(operation!.responses['401'], `${method} ${path} documents 401`).toBeDefined();
    }
    expect(doc.paths['/v1/events']!['post']!.responses['202']).toBeDefined();
    expect(doc.paths['/v1/workflows']!['post']!.responses['201']).toBeDefined();

    const refs = [...res.body.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) {
      expect(ref.startsWith('#/'), ref).toBe(true);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
      expect(target, `${ref} resolves`).toBeDefined();
    }
  });

  it('serves the browsable docs at /docs', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('swagger');
  });
});

describe('health and metrics', () => {
  it('reports the database reachable', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { database: { ok: true } } });
  });

  it('counts requests by route pattern and status in Prometheus text', async () => {
    await h.app.inject({ method: 'GET', url: '/v1/runs/some-run-id', headers: auth(TENANT_A) });
    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/baton_ingress_http_requests_total\{method="GET",route="\/v1\/runs\/:runId",status="404"\} [1-9]/);
    expect(res.body).not.toContain('some-run-id');
    expect(res.body).toContain('# TYPE baton_ingress_event_routing_seconds histogram');
  });
});

describe('when the database is unreachable', () => {
  it('answers 500 INTERNAL without internals, and /healthz 503 naming the database', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://baton@127.0.0.1:1/nowhere', connectionTimeoutMillis: 1_000 });
    pool.on('error', () => undefined);
    const actions = builtinActionRegistry();
    const app = await buildIngressApp({
      runtime: createRuntime({ ...createPostgresStores({ pool }), engines: {}, validateDefinition: createDefinitionValidator(actions) }),
      apiKeys: createApiKeyTable([TENANT_A]),
      metrics: createIngressMetrics({ processMetrics: false }),
      health: [{ name: 'database', check: async () => void (await pool.query('select 1')) }],
    });
    try {
      for (const [method, url, payload] of [
        ['GET', '/v1/runs', undefined],
        ['POST', '/v1/events', { eventId: 'e1', eventName: 'X', correlationKey: 'k', payload: {} }],
      ] as const) {
        const res = await app.inject({ method, url, headers: auth(TENANT_A), ...(payload ? { payload } : {}) });
        expect(res.statusCode).toBe(500);
        expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
      }
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toEqual({ status: 'unavailable', checks: { database: { ok: false, message: expect.stringContaining('ECONNREFUSED') } } });
    } finally {
      await app.close();
      await pool.end();
    }
  });
});
