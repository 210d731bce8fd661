import { describe, expect, it } from 'vitest';
import { evaluateRollback, rolledBackPolicy, watchesRollback } from './rollback-decision.js';

const policy = { minRuns: 10, maxErrorRateRatio: 2, maxP99LatencyRatio: 5 };
const side = (finished: number, failed: number, p99Ms: number | null = 100) => ({ finished, failed, p99Ms });

describe('evaluateRollback', () => {
  it('judges nothing until both engines have minRuns finished runs', () => {
    expect(evaluateRollback(policy, { db: side(9, 0), temporal: side(100, 100) })).toEqual({ breach: false, reason: expect.stringContaining('not enough') });
    expect(evaluateRollback(policy, { db: side(100, 0), temporal: side(9, 9) }).breach).toBe(false);
  });

  it('breaches when the Temporal error rate exceeds maxErrorRateRatio times Postgres', () => {
    expect(evaluateRollback(policy, { db: side(100, 10), temporal: side(100, 21) })).toEqual({
      breach: true,
      trigger: 'error_rate',
      reason: 'Temporal error rate 0.21 (21/100) exceeds 2x Postgres 0.1 (10/100)',
    });
    expect(evaluateRollback(policy, { db: side(100, 10), temporal: side(100, 20) }).breach).toBe(false);
  });

  it('any Temporal failure breaches when Postgres had none; no failures on either side does not', () => {
    expect(evaluateRollback(policy, { db: side(10, 0), temporal: side(10, 1) }).breach).toBe(true);
    expect(evaluateRollback(policy, { db: side(10, 0), temporal: side(10, 0) }).breach).toBe(false);
  });

  it('breaches when the Temporal p99 exceeds maxP99LatencyRatio times Postgres', () => {
    expect(evaluateRollback(policy, { db: side(20, 0, 100), temporal: side(20, 0, 501) })).toEqual({ breach: true, trigger: 'p99_latency', reason: 'Temporal p99 501 ms exceeds 5x Postgres p99 100 ms' });
    expect(evaluateRollback(policy, { db: side(20, 0, 100), temporal: side(20, 0, 500) }).breach).toBe(false);
    expect(evaluateRollback({ ...policy, maxP99LatencyRatio: 1.5 }, { db: side(20, 0, 100), temporal: side(20, 0, 151) }).breach).toBe(true);
  });

  it('does not judge latency it could not measure', () => {
    expect(evaluateRollback(policy, { db: side(20, 0, null), temporal: side(20, 0, 10_000) }).breach).toBe(false);
  });
});

describe('watchesRollback and rolledBackPolicy', () => {
  const rollback = { minRuns: 10, maxErrorRateRatio: 2, maxP99LatencyRatio: 5 };
  const latest = { type: 'latest' } as const;

  it('watches a workflow with a rollback rule while Temporal has a share of new runs', () => {
    expect(watchesRollback({ versionPolicy: latest, rollback, engine: { type: 'percent', temporalPercent: 10 } }, 'db')).toBe(true);
    expect(watchesRollback({ versionPolicy: latest, rollback, engine: { type: 'temporal' } }, 'db')).toBe(true);
    expect(watchesRollback({ versionPolicy: latest, rollback, engine: { type: 'percent', temporalPercent: 0 } }, 'db')).toBe(false);
    expect(watchesRollback({ versionPolicy: latest, rollback, engine: { type: 'db' } }, 'temporal')).toBe(false);
    expect(watchesRollback({ versionPolicy: latest, engine: { type: 'temporal' } }, 'db')).toBe(false);
    // no engine policy: the default engine's share
    expect(watchesRollback({ versionPolicy: latest, rollback }, 'db')).toBe(false);
    expect(watchesRollback({ versionPolicy: latest, rollback }, 'temporal')).toBe(true);
  });

  it('sets the Temporal share to 0 and keeps every other field', () => {
    const policy = {
      versionPolicy: latest,
      engine: { type: 'percent', temporalPercent: 40 },
      shadow: { percent: 5 },
      rolloutGate: { minCompared: 100, maxDiscrepancyRate: 0.01 },
      rollback,
    } as const;
    expect(rolledBackPolicy(policy)).toEqual({ ...policy, engine: { type: 'percent', temporalPercent: 0 } });
    expect(watchesRollback(rolledBackPolicy(policy), 'temporal')).toBe(false);
  });
});
