// A fuzz suite generated from the OpenAPI document: every route, with valid and invalid bodies,
// path parameters, query strings and headers, as the caller's tenant and as another tenant.
// Fixed seed, at least 2,000 requests; no answer may be >= 500, every error must be in the SPEC-api
// shape, and no answer to tenant A may carry tenant B's data.
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approval, waitForPayment } from '../__fixtures__/definitions.js';
import { auth, createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { tenantClient } from '../__fixtures__/http.js';
import { waitFor } from '../__fixtures__/wait-for.js';

const SEED = 20261203;
const REQUESTS = 2_400;
/** Text only tenant B's objects hold: it must never reach tenant A. */
const B_SECRET = 'tenant-b-secret-7f3a';

interface Route {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly params: readonly string[];
  readonly query: readonly string[];
  readonly hasBody: boolean;
}

let h: IngressHarness;
let routes: Route[];
const ids = { runB: '', taskB: '', runA: '', taskA: '' };

beforeAll(async () => {
  h = await createIngressHarness('fuzz', { engines: 'both' });
  const a = tenantClient(h.app, TENANT_A);
  const b = tenantClient(h.app, TENANT_B);
  for (const c of [a, b]) {
    expect((await c.post('/v1/workflows', approval)).statusCode).toBe(201);
    expect((await c.post('/v1/workflows', waitForPayment())).statusCode).toBe(201);
  }
  const runB = await b.post('/v1/runs', { workflow: approval.name, input: { what: B_SECRET }, engine: 'db' });
  ids.runB = (runB.json() as { runId: string }).runId;
  const runA = await a.post('/v1/runs', { workflow: approval.name, input: { what: 'a' }, engine: 'db' });
  ids.runA = (runA.json() as { runId: string }).runId;
  const tasks = (c: typeof a, runId: string) =>
    waitFor(() => c.get(`/v1/tasks?runId=${runId}`).then((r) => r.json() as { items: Array<{ taskId: string }> }), (l) => l.items.length === 1, { timeoutMs: 20_000 });
  ids.taskB = (await tasks(b, ids.runB)).items[0]!.taskId;
  ids.taskA = (await tasks(a, ids.runA)).items[0]!.taskId;

  const doc = h.app.swagger() as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: unknown }>> };
  routes = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters = op.parameters ?? [];
      routes.push({
        method: method.toUpperCase() as Route['method'],
        path,
        params: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        hasBody: op.requestBody !== undefined,
      });
    }
  }
}, 120_000);
afterAll(async () => h?.close());

/** Strings a hostile caller sends: ordinary ones, the other tenant's ids, control characters, NUL, huge, unicode. */
const nasty = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '%00', '..', '../..', '%E0%A4%A', '\ud800', '🙂', '-1', '0', '1e309', 'null', 'true', '{}', '[]', 'x'.repeat(5_000)),
  fc.constant('__B_RUN__'),
  fc.constant('__B_TASK__'),
  fc.constant('__A_RUN__'),
  fc.constant('__A_TASK__'),
  fc.constantFrom(approval.name, waitForPayment().name, 'RUNNING', 'WAITING', 'db', 'temporal', 'OPEN', 'COMPLETED', '10', '200'),
);

/** JSON values, including deep ones, NUL characters in keys and strings, numbers at the edges. */
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'a\u0000')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Bodies that are nearly valid for the routes (so deeper code runs), then broken in one place. */
const knownBodies = fc.constantFrom<unknown>(
  approval,
  waitForPayment('fuzz.wf'),
  { ...approval, version: '2.0.0', steps: [] },
  { workflow: approval.name, input: { what: 'x' } },
  { workflow: approval.name, input: { what: 'x' }, engine: 'temporal' },
  { workflow: approval.name, input: { what: 'x' }, executionKey: 'k1' },
  { eventId: 'e1', eventName: 'PAID', correlationKey: 'inv-1', payload: { invoiceId: 'inv-1' } },
  { eventId: 'e2', eventName: 'ORDER_PLACED', payload: {} },
  { response: { approved: true } },
  { response: { approved: 'yes' } },
  { reason: 'fuzz' },
  { reason: 'fuzz', response: { approved: true } },
  { versionPolicy: { type: 'latest' } },
  { engine: { type: 'percent', temporalPercent: 50 } },
  { versionPolicy: { type: 'weighted', weights: [{ version: '1.0.0', weight: 100 }] } },
);

const body = fc.oneof(
  knownBodies,
  fc.tuple(knownBodies, fc.string({ maxLength: 10 }), jsonish).map(([b, key, v]) => (typeof b === 'object' && b !== null ? { ...b, [key]: v } : b)),
  jsonish,
  fc.constantFrom('{', '{"a":', '[]', '"str"', '1', 'null', '{"a":1}x', `{"a":${'['.repeat(100)}${']'.repeat(100)}}`, '{"a":"\\u0000"}', '{"\\u0000":1}').map((text) => ({ raw: text })),
);

const request = fc.record({
  route: fc.nat(),
  params: fc.array(nasty, { minLength: 4, maxLength: 4 }),
  query: fc.array(fc.tuple(fc.oneof(fc.constant(''), nasty), nasty), { maxLength: 4 }),
  useRouteQuery: fc.boolean(),
  body,
  caller: fc.constantFrom('a', 'a', 'a', 'b', 'none', 'garbage'),
  contentType: fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', undefined),
});

/** encodeURIComponent that sends a lone surrogate as the invalid UTF-8 bytes a hostile client would. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
}

function substitute(value: string): string {
  return value.replace('__B_RUN__', ids.runB).replace('__B_TASK__', ids.taskB).replace('__A_RUN__', ids.runA).replace('__A_TASK__', ids.taskA);
}

describe('HTTP fuzz (generated from the OpenAPI document)', () => {
  it(`answers ${REQUESTS} generated requests with no 5xx, every error in the SPEC shape, and no cross-tenant data`, async () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    const seen = new Map<string, number>();
    let count = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const route = routes[r.route % routes.length]!;
        let url = route.path;
        route.params.forEach((name, i) => {
          url = url.replace(`{${name}}`, encode(substitute(r.params[i] ?? 'x')));
        });
        const pairs = r.useRouteQuery && route.query.length ? r.query.map(([, v], i) => [route.query[i % route.query.length]!, v] as const) : r.query;
        const qs = pairs.map(([k, v]) => `${encode(substitute(k))}=${encode(substitute(v))}`).join('&');
        if (qs) url += `?${qs}`;
        const headers: Record<string, string> = {};
        if (r.caller === 'a') Object.assign(headers, auth(TENANT_A));
        if (r.caller === 'b') Object.assign(headers, auth(TENANT_B));
        if (r.caller === 'garbage') headers['authorization'] = 'Bearer \u00ff\u00fe';
        const options: InjectOptions = { method: route.method, url, headers };
        if (route.method !== 'GET') {
          const raw = typeof r.body === 'object' && r.body !== null && 'raw' in r.body ? String((r.body as { raw: unknown }).raw) : JSON.stringify(r.body ?? null);
          options.payload = substitute(raw ?? 'null');
          if (r.contentType) headers['content-type'] = r.contentType;
        }
        const res = await h.app.inject(options);
        count++;
        seen.set(`${route.method} ${route.path} ${res.statusCode}`, (seen.get(`${route.method} ${route.path} ${res.statusCode}`) ?? 0) + 1);
        const where = `${route.method} ${url.slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
        expect(res.statusCode, where).toBeLessThan(500);
        if (res.statusCode >= 400) {
          const parsed = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
          expect(typeof parsed.error?.code, where).toBe('string');
          expect(typeof parsed.error?.message, where).toBe('string');
          expect(res.body, where).not.toMatch(/\bat .+\.(js|ts):\d+/);
        }
        if (r.caller !== 'b') expect(res.body.includes(B_SECRET), where).toBe(false);
      }),
      { seed: SEED, numRuns: REQUESTS, endOnFailure: true },
    );
    expect(count).toBeGreaterThanOrEqual(2_000);
    // Every route was exercised, with both successes and refusals across the suite.
    expect(new Set([...seen.keys()].map((k) => k.split(' ').slice(0, 2).join(' '))).size).toBe(routes.length);
    expect([...seen.keys()].some((k) => k.endsWith(' 200') || k.endsWith(' 201') || k.endsWith(' 202'))).toBe(true);
  }, 120_000);
});
