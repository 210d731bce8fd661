// The Postgres engine's definition source (children, continue-as-new) skips retired versions like the
// registry: a new generation or child never gets one, a pinned generation keeps its version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBatonError, type DefinitionStore } from '@baton/runtime-core';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { createPostgresStores } from '../stores/create-postgres-stores.js';
import { DefinitionSource } from './definition-source.js';

let t: TestDatabase;
let store: DefinitionStore;
beforeAll(async () => {
  t = await createTestDatabase('definition_source');
  store = createPostgresStores({ pool: t.pool, schema: t.schema }).definitions;
  for (const version of ['1.0.0', '1.1.0']) {
    await store.publish('acme', {
      name: 'w',
      version,
      hash: `h-${version}`,
      definition: { name: 'w', version, steps: [{ id: 'done', type: 'control.return', output: version }] },
      triggerEventName: null,
      publishedAt: '2026-01-01T00:00:00.000Z',
    } as Parameters<DefinitionStore['publish']>[1]);
  }
  await store.retireVersion('acme', 'w', '1.1.0', { at: '2026-01-02T00:00:00.000Z', reason: null });
});
afterAll(async () => t?.drop());

describe('DefinitionSource.resolve with a retired version', () => {
  it('resolves the latest version in service, refuses a range only the retired version satisfies, keeps a pinned one', async () => {
    const source = new DefinitionSource(store);
    expect((await source.resolve('acme', 'w', 'child-1', {})).version).toBe('1.0.0');
    expect((await source.resolve('acme', 'w', 'child-2', { range: '^1.0.0' })).version).toBe('1.0.0');
    const refused = await source.resolve('acme', 'w', 'child-3', { range: '1.1.0' }).catch((e: unknown) => e);
    expect(isBatonError(refused, 'WORKFLOW_VERSION_RETIRED')).toBe(true);
    expect((await source.resolve('acme', 'w', 'run-1', { pinVersion: '1.1.0' })).version).toBe('1.1.0');
  });
});
