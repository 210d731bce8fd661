// `baton rollout status|set|rollback` and `baton shadow` against a recording HTTP server (the API
// contract is tested in the ingress): the requests they send and what they print.
import { describe, expect, it } from 'vitest';
import { useRecordingApi } from '../__fixtures__/recording-api.js';

const { api, run } = useRecordingApi();

const latest = { type: 'latest' } as const;
const policy = {
  versionPolicy: latest,
  engine: { type: 'percent', temporalPercent: 0 },
  shadow: { percent: 20 },
  rolloutGate: { minCompared: 100, maxDiscrepancyRate: 0.01 },
  rollback: { minRuns: 50, maxErrorRateRatio: 2, maxP99LatencyRatio: 5 },
};
const figures = { compared: 40, matched: 39, different: 1, pending: 2, discrepancyRate: 0.025, latency: { primaryP50Ms: 100, shadowP50Ms: 130, ratio: 1.3 } };
const summary = {
  name: 'orders',
  versions: [{ version: '1.0.0', hash: 'h', publishedAt: '2026-12-03T09:00:00.000Z' }],
  policy,
  history: [{ at: '2026-12-03T10:00:00.000Z', actor: 'baton-rollback', from: { ...policy, engine: { type: 'percent', temporalPercent: 30 } }, to: policy, forced: false, reason: 'automatic rollback: Temporal p99 600 ms exceeds 5x Postgres p99 100 ms' }],
};
const report = { ...figures, differences: [{ runId: 'r-1', shadowRunId: 'r-1-shadow', path: 'charge', field: 'output', primary: { ok: true }, shadow: { ok: false } }] };


describe('baton rollout', () => {
  it('status prints the policy, gate, rollback rule, shadow figures and the history', async () => {
    api.answers = { 'GET /v1/workflows/orders': { status: 200, body: summary }, 'GET /v1/workflows/orders/shadow': { status: 200, body: report } };
    const status = await run('rollout', 'status', 'orders');
    expect(status.code).toBe(0);
    expect(status.stdout.split('\n').slice(0, 9)).toEqual([
      'workflow        orders',
      'engine policy   percent: 0% of new runs to temporal, the rest to db',
      'shadow          20% of new runs, on the engine the primary is not on',
      'rollout gate    minCompared 100, maxDiscrepancyRate 1%',
      'rollback        minRuns 50, maxErrorRateRatio 2, maxP99LatencyRatio 5',
      'shadow report   compared 40 (matched 39, different 1), pending 2, discrepancy rate 2.5%',
      '                latency p50 primary 100 ms, shadow 130 ms, ratio 1.3',
      '                1 recent difference(s): baton shadow orders',
      '',
    ]);
    expect(status.stdout).toMatch(/\n2026-12-03T10:00:00.000Z +baton-rollback +temporal 30% -> 0% +no +automatic rollback: Temporal p99 600 ms/);
    expect(JSON.parse((await run('rollout', 'status', 'orders', '--json')).stdout)).toEqual({ ...summary, shadowReport: report });
  });

  it('status still answers when the ingress has no shadow route (404 NOT_FOUND); an unknown workflow exits 1', async () => {
    api.answers = { 'GET /v1/workflows/orders': { status: 200, body: summary } };
    const status = await run('rollout', 'status', 'orders');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('shadow report   not served by this ingress');
    expect(JSON.parse((await run('rollout', 'status', 'orders', '--json')).stdout).shadowReport).toBeNull();
    api.answers = { 'GET /v1/workflows/nope': { status: 404, body: { error: { code: 'WORKFLOW_NOT_FOUND', message: "workflow 'nope' not found" } } } };
    const unknown = await run('rollout', 'status', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("WORKFLOW_NOT_FOUND: workflow 'nope' not found");
  });

  it('set PUTs the percent engine policy (with ?force=true when asked) and prints it', async () => {
    api.answers = { 'PUT /v1/workflows/orders/policy': { status: 200, body: { ...policy, engine: { type: 'percent', temporalPercent: 25 } } } };
    const set = await run('rollout', 'set', 'orders', '--temporal-percent', '25', '--reason', 'week 2');
    expect(set.code).toBe(0);
    expect(api.requests.at(-1)).toEqual({ method: 'PUT', url: '/v1/workflows/orders/policy', body: JSON.stringify({ engine: { type: 'percent', temporalPercent: 25 }, reason: 'week 2' }), auth: 'Bearer k-1' });
    expect(set.stdout).toBe('engine policy of orders: percent: 25% of new runs to temporal, the rest to db');
    expect((await run('rollout', 'set', 'orders', '--temporal-percent', '25', '--force')).code).toBe(0);
    expect(api.requests.at(-1)?.url).toBe('/v1/workflows/orders/policy?force=true');
    for (const bad of ['101', '-1', 'half']) expect((await run('rollout', 'set', 'orders', '--temporal-percent', bad)).code).toBe(2);
  });

  it('set prints a ROLLOUT_GATE_NOT_MET refusal readably and exits 1; --json gives the error body', async () => {
    const refusal = {
      code: 'ROLLOUT_GATE_NOT_MET',
      message: "raising the Temporal share of 'orders' from 0 % to 25 % needs its rollout gate: compared 40 < minCompared 100; discrepancyRate 0.025 > maxDiscrepancyRate 0.01 (?force=true overrides)",
      workflow: 'orders',
      gate: policy.rolloutGate,
      measured: figures,
      failures: ['compared 40 < minCompared 100', 'discrepancyRate 0.025 > maxDiscrepancyRate 0.01'],
      fromTemporalPercent: 0,
      toTemporalPercent: 25,
    };
    api.answers = { 'PUT /v1/workflows/orders/policy': { status: 409, body: { error: refusal } } };
    const refused = await run('rollout', 'set', 'orders', '--temporal-percent', '25');
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n')).toEqual([
      `ROLLOUT_GATE_NOT_MET: ${refusal.message}`,
      '  change    temporal 0% -> 25%',
      '  gate      minCompared 100, maxDiscrepancyRate 1%',
      '  measured  compared 40 (matched 39, different 1), pending 2, discrepancy rate 2.5%',
      '            latency p50 primary 100 ms, shadow 130 ms, ratio 1.3',
      '  unmet     compared 40 < minCompared 100',
      '            discrepancyRate 0.025 > maxDiscrepancyRate 0.01',
      '  hint: let more shadow runs be compared, or pass --force to override (recorded as forced in the policy history)',
    ]);
    const json = await run('rollout', 'set', 'orders', '--temporal-percent', '25', '--json');
    expect(JSON.parse(json.stderr)).toEqual({ error: refusal, httpStatus: 409 });
  });

  it('rollback PUTs a 0 % Temporal share with the reason (default "manual")', async () => {
    api.answers = { 'PUT /v1/workflows/orders/policy': { status: 200, body: policy } };
    const rollback = await run('rollout', 'rollback', 'orders');
    expect(rollback.code).toBe(0);
    expect(JSON.parse(api.requests.at(-1)!.body)).toEqual({ engine: { type: 'percent', temporalPercent: 0 }, reason: 'manual' });
    expect(api.requests.at(-1)?.url).toBe('/v1/workflows/orders/policy');
    expect(rollback.stdout).toMatch(/^rolled back orders: new runs go to db \(temporal 0%\); running runs keep their engine/);
    await run('rollout', 'rollback', 'orders', '--reason', 'pager: checkout errors');
    expect(JSON.parse(api.requests.at(-1)!.body).reason).toBe('pager: checkout errors');
  });
});

describe('baton shadow', () => {
  it('prints the figures and the differences as a table; --json the report; a missing route exits 1 with its code', async () => {
    api.answers = { 'GET /v1/workflows/orders/shadow': { status: 200, body: report } };
    const shadow = await run('shadow', 'orders');
    expect(shadow.code).toBe(0);
    expect(shadow.stdout.split('\n')).toEqual([
      'compared 40 (matched 39, different 1), pending 2, discrepancy rate 2.5%',
      'latency p50 primary 100 ms, shadow 130 ms, ratio 1.3',
      '',
      'RUN  SHADOW RUN  PATH    FIELD   PRIMARY      SHADOW',
      'r-1  r-1-shadow  charge  output  {"ok":true}  {"ok":false}',
    ]);
    expect(JSON.parse((await run('shadow', 'orders', '--json')).stdout)).toEqual(report);
    api.answers = {};
    const missing = await run('shadow', 'orders');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^NOT_FOUND: no route GET \/v1\/workflows\/orders\/shadow/);
  });
});
