import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { createPostgresActionCatalog, type PostgresActionCatalog } from './postgres-action-catalog.js';

let t: TestDatabase;
let catalog: PostgresActionCatalog;

const greet = { action: 'acme.greet', version: 1, description: 'Greets', inputSchema: { type: 'object' }, outputSchema: { type: 'string' } };
const greet2 = { action: 'acme.greet', version: 2, inputSchema: { type: 'object', required: ['name'] }, outputSchema: {} };

async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  t = await createTestDatabase('action_catalog', { awkward: true });
  catalog = createPostgresActionCatalog({ pool: t.pool, schema: t.schema });
});

afterAll(async () => t?.drop());

describe('the live action catalog', () => {
  it('lists each action@version with its schemas and live workers per engine; a worker that stops heart-beating drops out', async () => {
    await catalog.register({ workerId: 'w1', engines: ['db', 'temporal'], actions: [greet], ttlMs: 60_000 });
    await catalog.register({ workerId: 'w2', engines: ['db'], actions: [greet, greet2], ttlMs: 800 });
    expect(await catalog.listLive()).toEqual([
      { ...greet, providers: [{ engine: 'db', workers: 2 }, { engine: 'temporal', workers: 1 }] },
      { ...greet2, providers: [{ engine: 'db', workers: 1 }] },
    ]);
    // w1 keeps beating; w2 does not: after its lifetime only w1 counts, and greet@2 is gone.
    const after = await eventually(async () => {
      await catalog.heartbeat('w1', 60_000);
      const live = await catalog.listLive();
      return live.length === 1 ? live : undefined;
    });
    expect(after).toEqual([{ ...greet, providers: [{ engine: 'db', workers: 1 }, { engine: 'temporal', workers: 1 }] }]);
  });

  it('a heartbeat keeps a registration alive past its first lifetime, registering again replaces the set, unregister removes it at once', async () => {
    await catalog.register({ workerId: 'w3', engines: ['temporal'], actions: [greet2], ttlMs: 400 });
    const started = Date.now();
    while (Date.now() - started < 1200) {
      expect(await catalog.heartbeat('w3', 400)).toBe(1);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await catalog.listLive()).find((a) => a.version === 2)?.providers).toEqual([{ engine: 'temporal', workers: 1 }]);
    await catalog.register({ workerId: 'w3', engines: ['temporal'], actions: [], ttlMs: 400 });
    expect((await catalog.listLive()).find((a) => a.version === 2)).toBeUndefined();
    await catalog.unregister('w1');
    expect(await catalog.listLive()).toEqual([]);
    expect(await catalog.heartbeat('w1', 1000)).toBe(0);
  });
});
