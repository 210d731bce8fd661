import { describe, expect, it } from 'vitest';
import { isBatonError } from '../errors/baton-error.js';
import { createEngineRouter } from './engine-router.js';

const key = { tenant: 'acme', workflow: 'billing.invoice', executionKey: 'order-1' };

describe('createEngineRouter', () => {
  it('uses the default policy when the workflow has none', () => {
    expect(createEngineRouter().route(key)).toEqual({ engine: 'db', reason: 'default' });
    expect(createEngineRouter({ defaultPolicy: { type: 'temporal' } }).route(key)).toEqual({ engine: 'temporal', reason: 'default' });
  });

  it('uses the stored policy', () => {
    expect(createEngineRouter().route({ ...key, policy: { type: 'temporal' } })).toEqual({ engine: 'temporal', reason: 'policy' });
  });

  it('allows an explicit engine when no policy is stored', () => {
    expect(createEngineRouter().route({ ...key, requested: 'temporal' })).toEqual({ engine: 'temporal', reason: 'override' });
  });

  it('allows an explicit engine the stored policy can reach, and refuses one it cannot', () => {
    const router = createEngineRouter();
    expect(router.route({ ...key, policy: { type: 'percent', temporalPercent: 20 }, requested: 'temporal' }).engine).toBe('temporal');
    expect(router.route({ ...key, policy: { type: 'percent', temporalPercent: 20 }, requested: 'db' }).engine).toBe('db');
    let thrown: unknown;
    try {
      router.route({ ...key, policy: { type: 'db' }, requested: 'temporal' });
    } catch (err) {
      thrown = err;
    }
    expect(isBatonError(thrown, 'ENGINE_OVERRIDE_NOT_ALLOWED')).toBe(true);
  });
});
