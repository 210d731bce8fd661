import { afterAll, beforeAll, expect, it } from 'vitest';
import { createActionRegistry, defineAction } from '@baton/runtime-core';
import { z } from 'zod';
import { createEngineHarness, workflow, type EngineHarness } from '../__fixtures__/engine-harness.js';

const calls = new Map<string, number>();
const count = defineAction({
  id: 'test.count',
  version: 1,
  input: z.object({ key: z.string() }),
  output: z.object({ n: z.number() }),
  handler: async ({ key }) => {
    const n = (calls.get(key) ?? 0) + 1;
    calls.set(key, n);
    await new Promise((r) => setTimeout(r, 2));
    return { n };
  },
});
let h: EngineHarness;
beforeAll(async () => {
  h = await createEngineHarness('adoptrace', createActionRegistry({ actions: [count] }), { engine: { concurrency: 4, pollIntervalMs: 5 } });
});
afterAll(async () => h?.close());

it('calls each run action once while local starts race the claim loop', async () => {
  const def = workflow('flow.adopt', [{ id: 'c', type: 'action.call', action: 'test.count', actionVersion: 1, input: { key: { $expr: 'input.key' } } }]);
  const keys = Array.from({ length: 600 }, (_, i) => `k${i}`);
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < keys.length) { const key = keys[next++]!; await h.start(def, { key }); }
  }));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const left = await h.t.db.selectFrom('workflow_runs').select((eb) => eb.fn.countAll<string>().as('n')).where('status', 'not in', ['SUCCEEDED', 'FAILED']).executeTakeFirst();
    if (Number(left?.n) === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const twice = [...calls.entries()].filter(([, n]) => n > 1);
  expect(twice).toEqual([]);
}, 180_000);
