import { describe, expect, it } from 'vitest';
import { cell, describeChange, describeGate, describeRollback, describeShadow, formatGateRefusal, formatHistory, formatShadowReport, temporalShare } from './rollout-format.js';

const latest = { type: 'latest' } as const;
const figures = { compared: 40, matched: 38, different: 2, pending: 3, discrepancyRate: 0.05, latency: { primaryP50Ms: 120, shadowP50Ms: 150.26, ratio: 1.2521 } };

describe('rollout formatting', () => {
  it('describes the policy fields in words', () => {
    expect(temporalShare({ type: 'db' })).toBe(0);
    expect(temporalShare({ type: 'temporal' })).toBe(100);
    expect(temporalShare({ type: 'percent', temporalPercent: 12.5 })).toBe(12.5);
    expect(temporalShare(undefined)).toBeUndefined();
    expect(describeShadow(undefined)).toBe('off');
    expect(describeShadow({ percent: 10 })).toBe('10% of new runs, on the engine the primary is not on');
    expect(describeShadow({ percent: 100, engine: 'temporal' })).toBe('100% of new runs, on temporal');
    expect(describeGate({ minCompared: 100, maxDiscrepancyRate: 0.01, maxLatencyRatio: 2 })).toBe('minCompared 100, maxDiscrepancyRate 1%, maxLatencyRatio 2');
    expect(describeGate(undefined)).toMatch(/^none/);
    expect(describeRollback({ minRuns: 50, maxErrorRateRatio: 2, maxP99LatencyRatio: 5 })).toBe('minRuns 50, maxErrorRateRatio 2, maxP99LatencyRatio 5');
    expect(describeRollback(undefined)).toMatch(/^off/);
  });

  it('names what a policy change changed: the Temporal share first, then other fields', () => {
    const before = { versionPolicy: latest, engine: { type: 'percent', temporalPercent: 30 } } as const;
    expect(describeChange(before, { ...before, engine: { type: 'percent', temporalPercent: 0 } })).toBe('temporal 30% -> 0%');
    expect(describeChange(null, { versionPolicy: latest, engine: { type: 'temporal' }, shadow: { percent: 5 } })).toBe('temporal default -> 100%, versionPolicy, shadow');
    expect(describeChange(before, { ...before, rollback: { minRuns: 5, maxErrorRateRatio: 2, maxP99LatencyRatio: 5 } })).toBe('rollback');
    expect(describeChange(before, before)).toBe('no change');
  });

  it('prints the history as a table with the actor, forced and the reason', () => {
    const table = formatHistory([
      {
        at: '2026-12-03T12:00:00.000Z',
        actor: 'baton-rollback',
        from: { versionPolicy: latest, engine: { type: 'percent', temporalPercent: 30 } },
        to: { versionPolicy: latest, engine: { type: 'percent', temporalPercent: 0 } },
        forced: false,
        reason: 'automatic rollback: Temporal error rate 0.4 (2/5) exceeds 2x Postgres 0.1 (1/10)',
      },
      { at: '2026-12-03T11:00:00.000Z', actor: 'key-1a2b3c4d', from: null, to: { versionPolicy: latest, engine: { type: 'percent', temporalPercent: 30 } }, forced: true, reason: null },
    ]);
    expect(table.split('\n')).toEqual([
      'AT                        ACTOR           CHANGE                                  FORCED  REASON',
      '2026-12-03T12:00:00.000Z  baton-rollback  temporal 30% -> 0%                      no      automatic rollback: Temporal error rate 0.4 (2/5) exceeds 2x Postgres 0.1 (1/10)',
      '2026-12-03T11:00:00.000Z  key-1a2b3c4d    temporal default -> 30%, versionPolicy  yes',
    ]);
    expect(formatHistory([])).toBe('no policy changes recorded');
  });

  it('prints the shadow report: figures, then each difference with its values shortened', () => {
    const lines = formatShadowReport({
      ...figures,
      differences: [{ runId: 'run-1', shadowRunId: 'run-1s', path: 'charge', field: 'output', primary: { amount: 10 }, shadow: 'x'.repeat(60) }],
    });
    expect(lines).toEqual([
      'compared 40 (matched 38, different 2), pending 3, discrepancy rate 5%',
      'latency p50 primary 120 ms, shadow 150.3 ms, ratio 1.25',
      '',
      ['RUN    SHADOW RUN  PATH    FIELD   PRIMARY        SHADOW', `run-1  run-1s      charge  output  {"amount":10}  "${'x'.repeat(38)}…`].join('\n'),
    ]);
    expect(formatShadowReport({ ...figures, compared: 0, matched: 0, different: 0, discrepancyRate: 0, latency: { primaryP50Ms: null, shadowP50Ms: null, ratio: null }, differences: [] })).toEqual([
      'compared 0 (matched 0, different 0), pending 3, discrepancy rate 0%',
      'latency p50 primary -, shadow -, ratio not measured',
      'nothing compared yet',
    ]);
    expect(cell(undefined)).toBe('-');
  });

  it('prints a ROLLOUT_GATE_NOT_MET refusal: the change, the gate, the measured figures and each unmet condition', () => {
    expect(
      formatGateRefusal({
        workflow: 'orders',
        gate: { minCompared: 100, maxDiscrepancyRate: 0.01 },
        measured: figures,
        failures: ['compared 40 < minCompared 100', 'discrepancyRate 0.05 > maxDiscrepancyRate 0.01'],
        fromTemporalPercent: 0,
        toTemporalPercent: 25,
      }),
    ).toEqual([
      '  change    temporal 0% -> 25%',
      '  gate      minCompared 100, maxDiscrepancyRate 1%',
      '  measured  compared 40 (matched 38, different 2), pending 3, discrepancy rate 5%',
      '            latency p50 primary 120 ms, shadow 150.3 ms, ratio 1.25',
      '  unmet     compared 40 < minCompared 100',
      '            discrepancyRate 0.05 > maxDiscrepancyRate 0.01',
      '  hint: let more shadow runs be compared, or pass --force to override (recorded as forced in the policy history)',
    ]);
  });
});
