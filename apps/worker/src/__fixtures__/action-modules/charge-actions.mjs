// Test action module: `test.charge@1` as the Postgres-engine workers run it (it works). Its broken
// build, charge-broken-actions.mjs, is what the Temporal workers of rollback-e2e.int.test.ts run.
import { defineAction } from '@baton/runtime-core';
import { z } from 'zod';

export const charge = defineAction({
  id: 'test.charge',
  version: 1,
  description: 'Charges an order (test)',
  input: z.object({ orderId: z.string() }),
  output: z.object({ charged: z.string() }),
  handler: (input) => ({ charged: input.orderId }),
});
