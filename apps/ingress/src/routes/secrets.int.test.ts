// /v1/secrets: write-only tenant secrets, and publishing checks {"$secret": name} against them.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { auth, createIngressHarness, type IngressHarness, TENANT_A, TENANT_B } from '../__fixtures__/ingress-harness.js';

const VALUE = 'sk_live_4c1d-never-shown-9e2a';

let h: IngressHarness;
let a: TenantClient;
let b: TenantClient;
let logs = '';

beforeAll(async () => {
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logs += chunk.toString()), done()) });
  h = await createIngressHarness('secrets_routes', { logger: pino({ level: 'trace' }, sink) });
  a = tenantClient(h.app, TENANT_A);
  b = tenantClient(h.app, TENANT_B);
});
afterAll(async () => h?.close());

const usingSecret = (version: string, name: string) => ({
  name: 'billing.with-secret',
  version,
  steps: [{ id: 'call', type: 'action.call', action: 'http.request', actionVersion: 1, input: { url: 'https://example.com', headers: { authorization: { $secret: name } } } }],
});

describe('/v1/secrets', () => {
  it('PUT stores a value per tenant; GET lists names only; no answer or log line carries the value', async () => {
    const put = await a.put('/v1/secrets/api-token', { value: VALUE });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ name: 'api-token', created: true });
    expect((await a.put('/v1/secrets/api-token', { value: VALUE })).json()).toEqual({ name: 'api-token', created: false });
    const list = await a.get('/v1/secrets');
    expect(list.json()).toEqual({ items: [{ name: 'api-token', updatedAt: expect.any(String) }] });
    expect((await b.get('/v1/secrets')).json()).toEqual({ items: [] });
    expect(await h.secrets.get(TENANT_A.tenant, 'api-token')).toBe(VALUE);
    expect(list.body + put.body).not.toContain(VALUE);
    expect(logs).toContain('secret written');
    expect(logs).not.toContain(VALUE);
  });

  it('refuses a bad name or body in the SPEC error form', async () => {
    const badName = await a.put('/v1/secrets/has%20space', { value: 'x' });
    expect(badName.statusCode).toBe(400);
    expect(errorOf(badName).code).toBe('VALIDATION_ERROR');
    const empty = await a.put('/v1/secrets/x', { value: '' });
    expect(empty.statusCode).toBe(400);
    const extra = await a.put('/v1/secrets/x', { value: 'v', other: 1 });
    expect(extra.statusCode).toBe(400);
  });

  it('publishing names a secret: the tenant must have it (UNKNOWN_SECRET at the reference otherwise)', async () => {
    const ok = await a.post('/v1/workflows', usingSecret('1.0.0', 'api-token'));
    expect(ok.statusCode).toBe(201);
    const missing = await a.post('/v1/workflows', usingSecret('1.0.1', 'not-set'));
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing)).toMatchObject({
      code: 'INVALID_WORKFLOW_DEFINITION',
      issues: [expect.objectContaining({ code: 'UNKNOWN_SECRET', path: 'steps[0].input.headers.authorization.$secret' })],
    });
    // Another tenant's secret of that name does not count.
    const other = await b.post('/v1/workflows', usingSecret('1.0.0', 'api-token'));
    expect(other.statusCode).toBe(400);
    expect(JSON.stringify(errorOf(other))).toContain('UNKNOWN_SECRET');
  });

  it('DELETE removes a secret of this tenant only; another tenant gets 404', async () => {
    await a.put('/v1/secrets/short-lived', { value: 'v' });
    const other = await h.app.inject({ method: 'DELETE', url: '/v1/secrets/short-lived', headers: auth(TENANT_B) });
    expect(other.statusCode).toBe(404);
    expect(errorOf(other).code).toBe('SECRET_NOT_FOUND');
    const mine = await h.app.inject({ method: 'DELETE', url: '/v1/secrets/short-lived', headers: auth(TENANT_A) });
    expect(mine.statusCode).toBe(200);
    expect(await h.secrets.has(TENANT_A.tenant, 'short-lived')).toBe(false);
  });
});
