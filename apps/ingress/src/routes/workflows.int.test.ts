import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '@baton/db-legacy-adapter';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { apiKeyName } from '../auth/api-keys.js';

let h: IngressHarness;
let a: TenantClient;
let b: TenantClient;

beforeAll(async () => {
  h = await createIngressHarness('workflows');
  a = tenantClient(h.app, TENANT_A);
  b = tenantClient(h.app, TENANT_B);
});
afterAll(async () => h?.close());

const v1 = { name: 'crm.welcome', version: '1.0.0', steps: [{ id: 'hello', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { hi: true } }] };
const v2 = { ...v1, version: '1.1.0', steps: [{ id: 'done', type: 'control.return', output: 2 }] };

describe('POST /v1/workflows', () => {
  it('publishes (201), accepts the same content again (200), refuses other content under the version (409)', async () => {
    const first = await a.post('/v1/workflows', v1);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ name: 'crm.welcome', version: '1.0.0', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const same = await a.post('/v1/workflows', { ...v1 });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toEqual(first.json());
    const other = await a.post('/v1/workflows', { ...v1, steps: [{ id: 'x', type: 'control.return' }] });
    expect(other.statusCode).toBe(409);
    expect(errorOf(other)).toMatchObject({ code: 'WORKFLOW_VERSION_EXISTS', name: 'crm.welcome', version: '1.0.0' });
  });

  it('answers an invalid definition 400 INVALID_WORKFLOW_DEFINITION with every issue at its step path', async () => {
    const res = await a.post('/v1/workflows', {
      name: 'crm.broken',
      version: '1.0.0',
      steps: [
        { id: 'a', type: 'control.return' },
        { id: 'check', type: 'control.if', condition: { $expr: '(' }, then: [{ id: 'a', type: 'control.return' }] },
        { id: 'call', type: 'action.call', action: 'no.such-action', actionVersion: 1 },
      ],
    });
    expect(res.statusCode).toBe(400);
    const error = errorOf(res) as unknown as { code: string; issues: Array<{ path: string; code: string }> };
    expect(error.code).toBe('INVALID_WORKFLOW_DEFINITION');
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['steps[1].then[0].id', 'steps[1].condition.$expr', 'steps[2].action']));
  });

  it('answers a body that is not a definition at all 400 INVALID_WORKFLOW_DEFINITION', async () => {
    for (const body of [[], {}, { name: 'Bad Name', version: 'one', steps: [] }]) {
      const res = await a.post('/v1/workflows', body);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'INVALID_WORKFLOW_DEFINITION', issues: expect.any(Array) });
    }
  });
});

describe('GET /v1/workflows/:name and PUT /v1/workflows/:name/policy', () => {
  it('shows versions ascending and the default policy', async () => {
    expect((await a.post('/v1/workflows', v2)).statusCode).toBe(201);
    const res = await a.get('/v1/workflows/crm.welcome');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: 'crm.welcome',
      versions: [
        { version: '1.0.0', hash: expect.any(String), publishedAt: expect.any(String) },
        { version: '1.1.0', hash: expect.any(String), publishedAt: expect.any(String) },
      ],
      policy: { versionPolicy: { type: 'latest' } },
      history: [],
    });
  });

  it('updates the policy, keeping omitted fields', async () => {
    const res = await a.put('/v1/workflows/crm.welcome/policy', { versionPolicy: { type: 'exact', version: '1.0.0' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ versionPolicy: { type: 'exact', version: '1.0.0' } });
    const engine = await a.put('/v1/workflows/crm.welcome/policy', { engine: { type: 'percent', temporalPercent: 25 } });
    expect(engine.json()).toEqual({ versionPolicy: { type: 'exact', version: '1.0.0' }, engine: { type: 'percent', temporalPercent: 25 } });
    expect(((await a.get('/v1/workflows/crm.welcome')).json() as { policy: unknown }).policy).toEqual(engine.json());
  });

  it('takes the engine as "db" or "temporal" too (ARCHITECTURE.md: db, temporal, or a percentage), stored as the object', async () => {
    expect((await a.post('/v1/workflows', { ...v1, name: 'crm.shorthand' })).statusCode).toBe(201);
    const temporal = await a.put('/v1/workflows/crm.shorthand/policy', { engine: 'temporal' });
    expect(temporal.statusCode, temporal.body).toBe(200);
    expect((temporal.json() as { engine: unknown }).engine).toEqual({ type: 'temporal' });
    const db = await a.put('/v1/workflows/crm.shorthand/policy', { engine: 'db' });
    expect((db.json() as { engine: unknown }).engine).toEqual({ type: 'db' });
    expect(((await a.get('/v1/workflows/crm.shorthand')).json() as { policy: { engine: unknown } }).policy.engine).toEqual({ type: 'db' });
    const unknown = await a.put('/v1/workflows/crm.shorthand/policy', { engine: 'mainframe' });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [expect.objectContaining({ path: 'engine' })] });
  });

  it('refuses a policy naming an unpublished version, or malformed, with located issues', async () => {
    const unknown = await a.put('/v1/workflows/crm.welcome/policy', { versionPolicy: { type: 'weighted', weights: { '1.0.0': 50, '9.9.9': 50 } } });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [expect.objectContaining({ path: 'versionPolicy.weights["9.9.9"]' })] });
    const malformed = await a.put('/v1/workflows/crm.welcome/policy', { engine: { type: 'percent', temporalPercent: 120 } });
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [expect.objectContaining({ path: 'engine.temporalPercent' })] });
  });

  it('answers an unknown workflow 404, and another tenant exactly the same for an existing one', async () => {
    const missing = await a.get('/v1/workflows/crm.nothing');
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('WORKFLOW_NOT_FOUND');
    const foreign = await b.get('/v1/workflows/crm.welcome');
    const foreignMissing = await b.get('/v1/workflows/crm.nothing');
    expect(foreign.statusCode).toBe(404);
    expect(JSON.stringify(foreign.json()).replaceAll('crm.welcome', 'X')).toBe(JSON.stringify(foreignMissing.json()).replaceAll('crm.nothing', 'X'));
    const policy = await b.put('/v1/workflows/crm.welcome/policy', { versionPolicy: { type: 'latest' } });
    expect(policy.statusCode).toBe(404);
    expect(((await a.get('/v1/workflows/crm.welcome')).json() as { policy: { versionPolicy: unknown } }).policy.versionPolicy).toEqual({ type: 'exact', version: '1.0.0' });
  });

  it('stores shadow, rolloutGate and rollback (defaults 2 and 5), removes one with null, and shows every change newest first with the key name', async () => {
    const set = await a.put('/v1/workflows/crm.welcome/policy', {
      shadow: { percent: 50 },
      rolloutGate: { minCompared: 10, maxDiscrepancyRate: 0.01, maxLatencyRatio: 2 },
      rollback: { minRuns: 20 },
      reason: 'start shadowing',
    });
    expect(set.statusCode, set.body).toBe(200);
    const expected = {
      versionPolicy: { type: 'exact', version: '1.0.0' },
      engine: { type: 'percent', temporalPercent: 25 },
      shadow: { percent: 50 },
      rolloutGate: { minCompared: 10, maxDiscrepancyRate: 0.01, maxLatencyRatio: 2 },
      rollback: { minRuns: 20, maxErrorRateRatio: 2, maxP99LatencyRatio: 5 },
    };
    expect(set.json()).toEqual(expected);
    const cleared = await a.put('/v1/workflows/crm.welcome/policy', { shadow: null });
    const { shadow: _removed, ...withoutShadow } = expected;
    expect(cleared.json()).toEqual(withoutShadow);
    const shown = (await a.get('/v1/workflows/crm.welcome')).json() as { policy: unknown; history: Array<Record<string, unknown>> };
    expect(shown.policy).toEqual(withoutShadow);
    const actor = apiKeyName(TENANT_A.key);
    expect(actor).toMatch(/^key-[0-9a-f]{8}$/);
    expect(shown.history.slice(0, 2)).toEqual([
      { at: expect.any(String), actor, from: expected, to: withoutShadow, forced: false, reason: null },
      { at: expect.any(String), actor, from: { versionPolicy: { type: 'exact', version: '1.0.0' }, engine: { type: 'percent', temporalPercent: 25 } }, to: expected, forced: false, reason: 'start shadowing' },
    ]);
    expect(shown.history).toHaveLength(4);
    expect(shown.history.at(-1)).toMatchObject({ from: null, to: { versionPolicy: { type: 'exact', version: '1.0.0' } } });
    const bad = await a.put('/v1/workflows/crm.welcome/policy', { rolloutGate: { minCompared: -1, maxDiscrepancyRate: 2 }, shadow: { percent: 10, engine: 'mainframe' } });
    expect(bad.statusCode).toBe(400);
    expect((errorOf(bad).issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual(['rolloutGate.maxDiscrepancyRate', 'rolloutGate.minCompared', 'shadow.engine']);
  });

  it('refuses to raise the Temporal share while the rollout gate is not met (409 with the figures), lets ?force=true override it (recorded), and allows it once the gate is met', async () => {
    const gateV1 = { ...v1, name: 'crm.gated' };
    expect((await a.post('/v1/workflows', gateV1)).statusCode).toBe(201);
    const gate = { minCompared: 3, maxDiscrepancyRate: 0.25, maxLatencyRatio: 2 };
    expect((await a.put('/v1/workflows/crm.gated/policy', { engine: { type: 'percent', temporalPercent: 0 }, rolloutGate: gate })).statusCode).toBe(200);
    const row = (id: string, comparison: 'MATCH' | 'DIFFERENT' | 'PENDING', shadowEngine: 'db' | 'temporal' = 'temporal') => ({
      tenant_id: TENANT_A.tenant,
      workflow_name: 'crm.gated',
      primary_run_id: id,
      shadow_run_id: `${id}-s`,
      primary_engine: shadowEngine === 'temporal' ? ('db' as const) : ('temporal' as const),
      shadow_engine: shadowEngine,
      comparison,
      primary_latency_ms: 100,
      shadow_latency_ms: 150,
      ...(comparison === 'PENDING' ? {} : { compared_at: new Date() }),
    });
    await createDatabase(h.db.pool, h.db.schema).insertInto('shadow_comparisons').values([row('g1', 'MATCH'), row('g2', 'DIFFERENT'), row('g3', 'PENDING'), row('g4', 'MATCH', 'db'), row('g5', 'MATCH', 'db')]).execute();

    const refused = await a.put('/v1/workflows/crm.gated/policy', { engine: { type: 'percent', temporalPercent: 10 } });
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused)).toEqual({
      code: 'ROLLOUT_GATE_NOT_MET',
      message: expect.stringContaining('?force=true'),
      workflow: 'crm.gated',
      gate,
      measured: { compared: 2, matched: 1, different: 1, pending: 1, discrepancyRate: 0.5, latency: { primaryP50Ms: 100, shadowP50Ms: 150, ratio: 1.5 } },
      failures: ['compared 2 < minCompared 3', 'discrepancyRate 0.5 > maxDiscrepancyRate 0.25'],
      fromTemporalPercent: 0,
      toTemporalPercent: 10,
    });
    const unchanged = (await a.get('/v1/workflows/crm.gated')).json() as { policy: { engine: unknown }; history: unknown[] };
    expect(unchanged.policy.engine).toEqual({ type: 'percent', temporalPercent: 0 });
    expect(unchanged.history).toHaveLength(1);
    expect((await a.put('/v1/workflows/crm.gated/policy', { engine: { type: 'db' } })).statusCode).toBe(200);

    const forced = await a.put('/v1/workflows/crm.gated/policy?force=true', { engine: { type: 'percent', temporalPercent: 10 }, reason: 'incident drill' });
    expect(forced.statusCode, forced.body).toBe(200);
    const afterForce = (await a.get('/v1/workflows/crm.gated')).json() as { history: Array<Record<string, unknown>> };
    expect(afterForce.history[0]).toMatchObject({ actor: apiKeyName(TENANT_A.key), forced: true, reason: 'incident drill', to: { engine: { type: 'percent', temporalPercent: 10 } } });

    await createDatabase(h.db.pool, h.db.schema).insertInto('shadow_comparisons').values([row('g6', 'MATCH'), row('g7', 'MATCH')]).execute();
    const allowed = await a.put('/v1/workflows/crm.gated/policy?force=false', { engine: { type: 'percent', temporalPercent: 50 } });
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(((await a.get('/v1/workflows/crm.gated')).json() as { history: Array<Record<string, unknown>> }).history[0]).toMatchObject({ forced: false });
    expect((await b.put('/v1/workflows/crm.gated/policy?force=maybe', {})).statusCode).toBe(400);
  });

  it('keeps tenants apart: the same name and version publish independently', async () => {
    const res = await b.post('/v1/workflows', { ...v1, steps: [{ id: 'other', type: 'control.return' }] });
    expect(res.statusCode).toBe(201);
  });
});
