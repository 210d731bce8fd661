// Test action module: a broken build of `test.charge@1` (see charge-actions.mjs): every call fails,
// the way a bad rollout fails only on the engine that runs the new build.
import { defineAction } from '@baton/runtime-core';
import { z } from 'zod';

export const charge = defineAction({
  id: 'test.charge',
  version: 1,
  description: 'Charges an order (test, broken build)',
  input: z.object({ orderId: z.string() }),
  output: z.object({ charged: z.string() }),
  handler: () => {
    throw new Error('payment gateway client misconfigured');
  },
});
