import { createRunRef, type RunRef } from '@baton/runtime-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineHarness, workflow, type EngineHarness } from '../__fixtures__/engine-harness.js';
import { createTestActions } from '../__fixtures__/test-actions.js';
import { createPostgresEngine } from './postgres-engine.js';

// An input applied under a row lock must never wait for a second pool connection: with more
// concurrent inputs than connections and a cold definition cache, every connection would hold a
// lock while waiting for another, forever (seen with 16 HTTP clients on a pool of 10).
let h: EngineHarness;
beforeAll(async () => {
  h = await createEngineHarness('direct_pool', createTestActions().registry, { poolMax: 20 });
});
afterAll(async () => h?.close());

describe('direct inputs and the pool', () => {
  it('delivers more concurrent events than the pool has connections, with a cold definition cache', async () => {
    const def = workflow('pool.wait', [
      { id: 'paid', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' } },
      { id: 'done', type: 'control.return', output: { $expr: 'input.key' } },
    ]);
    const runs: RunRef<'db'>[] = [];
    for (let i = 0; i < 8; i++) runs.push(await h.start(def, { key: `k${i}` }));
    await expect.poll(async () => (await Promise.all(runs.map((r) => h.stores.runs.get(h.tenant, r.runId)))).every((r) => r?.status === 'WAITING'), { timeout: 15_000 }).toBe(true);

    // A fresh engine (empty definition cache) on a pool of 2 connections takes 8 events at once.
    const { default: pg } = await import('pg');
    const small = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
    try {
      const cold = createPostgresEngine({ pool: small, schema: h.t.schema, actions: createTestActions().registry });
      const delivered = Promise.all(
        runs.map((r, i) => cold.deliverEvent(createRunRef('db', h.tenant, r.runId), { eventId: `e${i}`, eventName: 'PAID', correlationKey: `k${i}`, payload: {} })),
      );
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('deliveries deadlocked on the pool')), 10_000).unref());
      await Promise.race([delivered, timeout]);
    } finally {
      await small.end();
    }
    const done = await Promise.all(runs.map((r) => h.engine.awaitRun(r)));
    expect(done.map((r) => [r.status, r.output])).toEqual(runs.map((_, i) => ['SUCCEEDED', `k${i}`]));
  });
});
