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
