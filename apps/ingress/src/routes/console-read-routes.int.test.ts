import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';

// The read routes the operator console needs beyond SPEC-api's list: workflow names, a version's
// definition, the event audit, and the run list's time window.

let h: IngressHarness;
let a: TenantClient;
let b: TenantClient;

beforeAll(async () => {
  h = await createIngressHarness('console-reads');
  a = tenantClient(h.app, TENANT_A);
  b = tenantClient(h.app, TENANT_B);
});
afterAll(async () => h?.close());

const definition = (name: string, version: string) => ({ name, version, steps: [{ id: 'done', type: 'control.return', output: { name } }] });

interface EventPage {
  items: Array<{ eventId: string; correlationKey: string | null; correlationSource: string | null; status: string; errors: Array<{ code: string }> }>;
  nextCursor: string | null;
}

describe('GET /v1/workflows', () => {
  it("lists the tenant's workflow names ascending, each once, and nothing of another tenant", async () => {
    expect((await a.get('/v1/workflows')).json()).toEqual({ items: [] });
    for (const [name, version] of [['zz.last', '1.0.0'], ['aa.first', '1.0.0'], ['aa.first', '1.1.0']] as const) {
      expect((await a.post('/v1/workflows', definition(name, version))).statusCode).toBe(201);
    }
    expect((await b.post('/v1/workflows', definition('bb.hidden', '1.0.0'))).statusCode).toBe(201);
    const res = await a.get('/v1/workflows');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [{ name: 'aa.first' }, { name: 'zz.last' }] });
  });

  it('answers a version with its definition; an unknown version or another tenant 404 WORKFLOW_NOT_FOUND', async () => {
    const res = await a.get('/v1/workflows/aa.first/versions/1.1.0');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'aa.first', version: '1.1.0', hash: expect.stringMatching(/^[0-9a-f]{64}$/), publishedAt: expect.any(String), definition: definition('aa.first', '1.1.0') });
    expect(errorOf(await a.get('/v1/workflows/aa.first/versions/9.9.9'))).toMatchObject({ code: 'WORKFLOW_NOT_FOUND' });
    const other = await b.get('/v1/workflows/aa.first/versions/1.1.0');
    expect(other.statusCode).toBe(404);
    expect(errorOf(other).code).toBe('WORKFLOW_NOT_FOUND');
  });

  it('needs a key', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/v1/workflows' })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/v1/events' })).statusCode).toBe(401);
  });
});

describe('GET /v1/events', () => {
  it('pages the event audit newest first with correlation source and routing errors, tenant-scoped', async () => {
    const sent = ['ev-1', 'ev-2', 'ev-3'];
    for (const eventId of sent) {
      const res = await a.post('/v1/events', { eventId, eventName: 'PAID', correlationKey: `k-${eventId}`, payload: { n: eventId } });
      expect(res.statusCode).toBe(202);
    }
    expect((await a.post('/v1/events', { eventId: 'ev-nokey', eventName: 'PAID', payload: {} })).statusCode).toBe(202);
    expect((await b.post('/v1/events', { eventId: 'ev-other', eventName: 'PAID', payload: {} })).statusCode).toBe(202);

    const seen: EventPage['items'] = [];
    let url = '/v1/events?limit=3';
    for (let page = 0; page < 5; page++) {
      const res = await a.get(url);
      expect(res.statusCode).toBe(200);
      const body = res.json() as EventPage;
      seen.push(...body.items);
      if (body.nextCursor === null) break;
      url = `/v1/events?limit=3&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen.map((e) => e.eventId)).toEqual(['ev-nokey', 'ev-3', 'ev-2', 'ev-1']);
    expect(seen[0]).toMatchObject({ correlationKey: null, correlationSource: 'missing', status: 'PROCESSED', errors: [expect.objectContaining({ code: 'CORRELATION_KEY_MISSING' })] });
    expect(seen[1]).toMatchObject({ correlationKey: 'k-ev-3', correlationSource: 'explicit', status: 'PROCESSED', errors: [] });
    expect(((await b.get('/v1/events')).json() as EventPage).items.map((e) => e.eventId)).toEqual(['ev-other']);
  });

  it("refuses a cursor that is no nextCursor of the tenant's audit with 400 INVALID_CURSOR, instead of an empty last page", async () => {
    for (const cursor of ['not-a-cursor', 'ev-other']) {
      const res = await a.get(`/v1/events?cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path: 'cursor', code: 'INVALID_CURSOR' }] });
    }
    const page = (await a.get('/v1/events?limit=1')).json() as EventPage;
    expect((await a.get(`/v1/events?limit=1&cursor=${encodeURIComponent(page.nextCursor!)}`)).statusCode).toBe(200);
  });

  it('refuses a bad page size with 400 VALIDATION_ERROR', async () => {
    const res = await a.get('/v1/events?limit=0');
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('VALIDATION_ERROR');
  });
});

describe('GET /v1/runs with a time window', () => {
  it('filters by createdAfter (inclusive) and createdBefore (exclusive)', async () => {
    const at = (s: number) => new Date(Date.parse('2026-03-01T00:00:00.000Z') + s * 1000).toISOString();
    for (let i = 0; i < 3; i++) {
      await h.stores.runs.create(TENANT_A.tenant, {
        runId: `window-${i}`,
        workflow: 'aa.first',
        version: '1.0.0',
        definitionHash: 'h',
        engine: 'db',
        status: 'SUCCEEDED',
        input: null,
        executionKey: null,
        runKey: `window-${i}`,
        createdAt: at(i * 60),
      });
    }
    const ids = async (query: string) => ((await a.get(`/v1/runs?${query}`)).json() as { items: Array<{ runId: string }> }).items.map((r) => r.runId);
    expect(await ids(`createdAfter=${at(60)}`)).toEqual(['window-2', 'window-1']);
    expect(await ids(`createdAfter=${at(0)}&createdBefore=${at(120)}`)).toEqual(['window-1', 'window-0']);
    const bad = await a.get('/v1/runs?createdAfter=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).code).toBe('VALIDATION_ERROR');
  });
});
