import { describe, expect, it } from 'vitest';
import { stableBucket } from '../hashing/stable-bucket.js';
import { enginesReachable, routeEngine, routeKeyString, temporalBuckets } from './route-engine.js';

const runKeys = Array.from({ length: 10_000 }, (_, i) => ({ tenant: 'acme', workflow: 'billing.invoice', executionKey: `order-${i}` }));

function share(temporalPercent: number): number {
  const temporal = runKeys.filter((k) => routeEngine({ type: 'percent', temporalPercent }, k) === 'temporal').length;
  return (temporal / runKeys.length) * 100;
}

describe('routeEngine', () => {
  it('fixed policies route every run to their engine', () => {
    expect(runKeys.slice(0, 100).every((k) => routeEngine({ type: 'db' }, k) === 'db')).toBe(true);
    expect(runKeys.slice(0, 100).every((k) => routeEngine({ type: 'temporal' }, k) === 'temporal')).toBe(true);
  });

  it('sends 10% ± 1% of 10,000 keys to Temporal at 10%', () => {
    const measured = share(10);
    expect(measured).toBeGreaterThanOrEqual(9);
    expect(measured).toBeLessThanOrEqual(11);
  });

  it('sends none at 0%, all at 100%, and about half at 50%', () => {
    expect(share(0)).toBe(0);
    expect(share(100)).toBe(100);
    expect(Math.abs(share(50) - 50)).toBeLessThan(2);
  });

  it('decides by the hash of tenant:workflow:executionKey', () => {
    const key = { tenant: 't', workflow: 'w', executionKey: 'k' };
    expect(routeKeyString(key)).toBe('t:w:k');
    const bucket = stableBucket('t:w:k');
    expect(routeEngine({ type: 'percent', temporalPercent: (bucket + 1) / 100 }, key)).toBe('temporal');
    expect(routeEngine({ type: 'percent', temporalPercent: bucket / 100 }, key)).toBe('db');
  });

  it('is stable: the same key routes the same way every time', () => {
    const policy = { type: 'percent', temporalPercent: 37 } as const;
    const first = runKeys.map((k) => routeEngine(policy, k));
    const second = runKeys.map((k) => routeEngine(policy, { ...k }));
    expect(second).toEqual(first);
  });

  it('raising the percentage only moves runs from db to temporal (monotone cutover)', () => {
    const at10 = runKeys.map((k) => routeEngine({ type: 'percent', temporalPercent: 10 }, k));
    const at30 = runKeys.map((k) => routeEngine({ type: 'percent', temporalPercent: 30 }, k));
    at10.forEach((engine, i) => {
      if (engine === 'temporal') expect(at30[i]).toBe('temporal');
    });
  });

  it('counts the percentage in hundredths', () => {
    expect(temporalBuckets(0.01)).toBe(1);
    expect(temporalBuckets(12.5)).toBe(1250);
  });
});

describe('enginesReachable', () => {
  it('lists the engines a policy can route to', () => {
    expect(enginesReachable({ type: 'db' })).toEqual(['db']);
    expect(enginesReachable({ type: 'temporal' })).toEqual(['temporal']);
    expect(enginesReachable({ type: 'percent', temporalPercent: 0 })).toEqual(['db']);
    expect(enginesReachable({ type: 'percent', temporalPercent: 100 })).toEqual(['temporal']);
    expect(enginesReachable({ type: 'percent', temporalPercent: 5 })).toEqual(['db', 'temporal']);
  });
});
