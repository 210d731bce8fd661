import { describe, expect, it } from 'vitest';
import { isBatonError } from '../errors/baton-error.js';
import { InMemoryDefinitionStore } from '../ports/in-memory/in-memory-definition-store.js';
import { schemaOnlyValidator } from '../run-service/__fixtures__/test-validator.js';
import { createDefinitionRegistry } from './definition-registry.js';

const def = (version: string, extra: Record<string, unknown> = {}) => ({
  name: 'loop',
  version,
  steps: [{ id: 'again', type: 'control.continueAsNew' }],
  ...extra,
});

async function registryWith(...versions: string[]) {
  const registry = createDefinitionRegistry({ store: new InMemoryDefinitionStore(), validate: schemaOnlyValidator, clock: () => new Date(0) });
  for (const v of versions) await registry.publish('acme', def(v));
  return registry;
}

describe('DefinitionRegistry.resolve', () => {
  it('resolves the policy again for a new generation, so a long loop upgrades at continue-as-new', async () => {
    const registry = await registryWith('1.0.0');
    expect((await registry.resolve('acme', 'loop', { runKey: 'run-1' })).version).toBe('1.0.0');
    await registry.publish('acme', def('1.1.0'));
    expect((await registry.resolve('acme', 'loop', { runKey: 'run-1' })).version).toBe('1.1.0');
  });

  it('keeps a pinned version regardless of the policy', async () => {
    const registry = await registryWith('1.0.0', '1.1.0');
    const pinned = await registry.resolve('acme', 'loop', { runKey: 'run-1', pinVersion: '1.0.0' });
    expect(pinned).toMatchObject({ tenant: 'acme', name: 'loop', version: '1.0.0', definition: def('1.0.0') });
    expect(pinned.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers WORKFLOW_NOT_FOUND for a pinned version that is not published', async () => {
    const registry = await registryWith('1.0.0');
    const err = await registry.resolve('acme', 'loop', { runKey: 'r', pinVersion: '0.9.0' }).catch((e: unknown) => e);
    expect(isBatonError(err, 'WORKFLOW_NOT_FOUND')).toBe(true);
  });

  it('records the trigger event name of a published version', async () => {
    const store = new InMemoryDefinitionStore();
    const registry = createDefinitionRegistry({ store, validate: schemaOnlyValidator });
    await registry.publish('acme', def('1.0.0', { trigger: { type: 'event', eventName: 'TICK' } }));
    expect((await store.listEventTriggered('acme', 'TICK')).map((v) => v.version)).toEqual(['1.0.0']);
  });

  it('accepts an asynchronous validator', async () => {
    const registry = createDefinitionRegistry({ store: new InMemoryDefinitionStore(), validate: async (json) => schemaOnlyValidator(json) });
    expect((await registry.publish('acme', def('1.0.0'))).created).toBe(true);
  });
});

describe('DefinitionRegistry.setPolicy and the rollout gate', () => {
  const gate = { minCompared: 10, maxDiscrepancyRate: 0.1 };
  const measured = { compared: 4, matched: 3, different: 1, pending: 0, discrepancyRate: 0.25, latency: { primaryP50Ms: 10, shadowP50Ms: 12, ratio: 1.2 } };
  async function gated(figures = measured, defaultEngine: 'db' | 'temporal' = 'db') {
    const reads: Array<string | undefined> = [];
    const store = new InMemoryDefinitionStore();
    const registry = createDefinitionRegistry({
      store,
      validate: schemaOnlyValidator,
      clock: () => new Date(0),
      defaultEngine,
      shadowFigures: {
        figures: async (_tenant, _workflow, options) => {
          reads.push(options?.shadowEngine);
          return figures;
        },
      },
    });
    await registry.publish('acme', def('1.0.0'));
    return { registry, store, reads };
  }
  const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

  it('refuses to raise the Temporal share past an unmet gate with the figures and the gate, and changes nothing', async () => {
    const { registry, reads } = await gated();
    await registry.setPolicy('acme', 'loop', { engine: { type: 'percent', temporalPercent: 5 }, rolloutGate: gate }, { actor: 'k1', force: true });
    const err = await errorOf(registry.setPolicy('acme', 'loop', { engine: { type: 'percent', temporalPercent: 20 } }, { actor: 'k1' }));
    expect(isBatonError(err, 'ROLLOUT_GATE_NOT_MET')).toBe(true);
    expect((err as { details: unknown }).details).toEqual({
      workflow: 'loop',
      gate,
      measured,
      failures: ['compared 4 < minCompared 10', 'discrepancyRate 0.25 > maxDiscrepancyRate 0.1'],
      fromTemporalPercent: 5,
      toTemporalPercent: 20,
    });
    expect(reads).toContain('temporal');
    expect((await registry.getPolicy('acme', 'loop')).engine).toEqual({ type: 'percent', temporalPercent: 5 });
  });

  it('a gate set with the raise applies to it; the stored gate applies even when the change drops it', async () => {
    const { registry } = await gated();
    expect(isBatonError(await errorOf(registry.setPolicy('acme', 'loop', { engine: { type: 'temporal' }, rolloutGate: gate })), 'ROLLOUT_GATE_NOT_MET')).toBe(true);
    await registry.setPolicy('acme', 'loop', { rolloutGate: gate });
    const dropping = registry.setPolicy('acme', 'loop', { engine: { type: 'percent', temporalPercent: 50 }, rolloutGate: null });
    expect(isBatonError(await errorOf(dropping), 'ROLLOUT_GATE_NOT_MET')).toBe(true);
  });

  it('never gates lowering, keeping the share, or other fields; without a gate nothing is gated', async () => {
    const { registry } = await gated();
    await registry.setPolicy('acme', 'loop', { engine: { type: 'percent', temporalPercent: 30 } });
    await registry.setPolicy('acme', 'loop', { rolloutGate: gate, shadow: { percent: 100 } });
    await registry.setPolicy('acme', 'loop', { engine: { type: 'percent', temporalPercent: 30 } });
    await registry.setPolicy('acme', 'loop', { engine: { type: 'db' } });
    expect((await registry.getPolicy('acme', 'loop')).engine).toEqual({ type: 'db' });
  });

  it('counts a workflow without an engine policy at the default engine share', async () => {
    const { registry } = await gated(measured, 'temporal');
    await registry.setPolicy('acme', 'loop', { rolloutGate: gate });
    await registry.setPolicy('acme', 'loop', { engine: { type: 'temporal' } });
    expect((await registry.getPolicy('acme', 'loop')).engine).toEqual({ type: 'temporal' });
  });

  it('force overrides an unmet gate and is recorded as forced; a met gate is not forced', async () => {
    const { registry, store } = await gated();
    await registry.setPolicy('acme', 'loop', { rolloutGate: gate }, { actor: 'k1' });
    await registry.setPolicy('acme', 'loop', { engine: { type: 'percent', temporalPercent: 10 }, reason: 'go' }, { actor: 'k2', force: true });
    const [latest] = await store.listPolicyHistory('acme', 'loop', 1);
    expect(latest).toMatchObject({ actor: 'k2', forced: true, reason: 'go', to: { engine: { type: 'percent', temporalPercent: 10 } } });

    const met = await gated({ ...measured, compared: 100, different: 1, discrepancyRate: 0.01 });
    await met.registry.setPolicy('acme', 'loop', { rolloutGate: gate });
    await met.registry.setPolicy('acme', 'loop', { engine: { type: 'temporal' } }, { force: true });
    expect((await met.store.listPolicyHistory('acme', 'loop', 1))[0]).toMatchObject({ forced: false, actor: 'system' });
  });
});

describe('DefinitionRegistry.retire', () => {
  it('retires a version once: new runs skip it, an exact request for it is WORKFLOW_VERSION_RETIRED, describe shows it, a pinned run keeps it', async () => {
    const registry = await registryWith('1.0.0', '1.1.0');
    const retired = await registry.retire('acme', 'loop', '1.1.0', { reason: 'bad step' });
    expect(retired).toEqual({ name: 'loop', version: '1.1.0', retiredAt: new Date(0).toISOString(), reason: 'bad step' });
    expect(await registry.retire('acme', 'loop', '1.1.0', {})).toEqual(retired);
    expect((await registry.resolve('acme', 'loop', { runKey: 'run-1' })).version).toBe('1.0.0');
    const exact = await registry.resolve('acme', 'loop', { runKey: 'r', range: '1.1.0' }).catch((e: unknown) => e);
    expect(isBatonError(exact, 'WORKFLOW_VERSION_RETIRED')).toBe(true);
    expect((await registry.resolve('acme', 'loop', { runKey: 'r', pinVersion: '1.1.0' })).version).toBe('1.1.0');
    const summary = await registry.describe('acme', 'loop');
    expect(summary.versions).toEqual([
      expect.not.objectContaining({ retiredAt: expect.anything() }),
      expect.objectContaining({ version: '1.1.0', retiredAt: new Date(0).toISOString(), retiredReason: 'bad step' }),
    ]);
  });

  it('answers WORKFLOW_NOT_FOUND for a version that is not published (or another tenant\'s) and VALIDATION_ERROR for a bad body', async () => {
    const registry = await registryWith('1.0.0');
    expect(isBatonError(await registry.retire('acme', 'loop', '9.9.9', {}).catch((e: unknown) => e), 'WORKFLOW_NOT_FOUND')).toBe(true);
    expect(isBatonError(await registry.retire('other', 'loop', '1.0.0', {}).catch((e: unknown) => e), 'WORKFLOW_NOT_FOUND')).toBe(true);
    expect(isBatonError(await registry.retire('acme', 'loop', '1.0.0', { reason: 5 }).catch((e: unknown) => e), 'VALIDATION_ERROR')).toBe(true);
  });
});
