import { describe, expect, it } from 'vitest';
import { stableBucket } from '../hashing/stable-bucket.js';
import { enginesReachable, routeEngine, routeKeyString, routeShadow, temporalBuckets, temporalPercentOf } from './route-engine.js';

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

describe('temporalPercentOf', () => {
  it('is 0 for db, 100 for temporal, the percentage for percent, and follows the default engine without a policy', () => {
    expect(temporalPercentOf({ type: 'db' }, 'temporal')).toBe(0);
    expect(temporalPercentOf({ type: 'temporal' }, 'db')).toBe(100);
    expect(temporalPercentOf({ type: 'percent', temporalPercent: 12.5 }, 'db')).toBe(12.5);
    expect(temporalPercentOf(undefined, 'db')).toBe(0);
    expect(temporalPercentOf(undefined, 'temporal')).toBe(100);
  });
});

describe('routeShadow', () => {
  const shadowed = (percent: number, engine?: 'db' | 'temporal') =>
    runKeys.filter((k) => routeShadow({ percent, ...(engine ? { engine } : {}) }, routeEngine({ type: 'percent', temporalPercent: 10 }, k), k) !== undefined);

  it('shadows the given share of runs on the other engine, none without a shadow policy', () => {
    expect(Math.abs(shadowed(20).length / 100 - 20)).toBeLessThan(2);
    expect(shadowed(0)).toHaveLength(0);
    expect(routeShadow(undefined, 'db', runKeys[0]!)).toBeUndefined();
    expect(routeShadow({ percent: 100 }, 'db', runKeys[0]!)).toBe('temporal');
    expect(routeShadow({ percent: 100 }, 'temporal', runKeys[0]!)).toBe('db');
  });

  it('takes the top of the bucket range, so a Temporal share plus a shadow share up to 100 % shadows only Postgres primaries on Temporal', () => {
    const picked = shadowed(90);
    expect(picked.length).toBeGreaterThan(8500);
    expect(picked.every((k) => routeEngine({ type: 'percent', temporalPercent: 10 }, k) === 'db')).toBe(true);
    expect(picked.every((k) => routeShadow({ percent: 90 }, 'db', k) === 'temporal')).toBe(true);
  });

  it('raising the percentage only adds shadowed runs, and the same key is shadowed the same way every time', () => {
    const at10 = shadowed(10);
    const at40 = new Set(shadowed(40));
    expect(at10.every((k) => at40.has(k))).toBe(true);
    expect(shadowed(25)).toEqual(shadowed(25));
  });

  it('never shadows a run on its own engine', () => {
    expect(routeShadow({ percent: 100, engine: 'db' }, 'db', runKeys[0]!)).toBeUndefined();
    expect(routeShadow({ percent: 100, engine: 'db' }, 'temporal', runKeys[0]!)).toBe('db');
  });

  it('is stable and decides by the same hash as engine routing', () => {
    const key = { tenant: 't', workflow: 'w', executionKey: 'k' };
    const bucket = stableBucket('t:w:k');
    expect(routeShadow({ percent: (10_000 - bucket) / 100 }, 'db', key)).toBe('temporal');
    expect(routeShadow({ percent: (10_000 - bucket - 1) / 100 }, 'db', key)).toBeUndefined();
  });
});
