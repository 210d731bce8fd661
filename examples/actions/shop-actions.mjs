// An action module: what a team writes to let Baton workflows call its own code.
// The worker loads it with BATON_ACTIONS=examples/actions/shop-actions.mjs (`npm start` does);
// every export made with `defineAction` becomes an action, here `shop.summarize-order@1`.
// Plain ESM JavaScript so it loads without a build step; a TypeScript module compiled to ESM
// works the same way (see examples/actions/README.md).
import { defineAction } from '@baton/runtime-core';
import { z } from 'zod';

const OrderLine = z.object({ sku: z.string().min(1), quantity: z.number().int().min(1) });

/** Counts the units and distinct SKUs of an order: the first step of the order-fulfilment example. */
export const summarizeOrder = defineAction({
  id: 'shop.summarize-order',
  version: 1,
  description: 'Counts the units and distinct SKUs of an order',
  input: z.object({ orderId: z.string().min(1), lines: z.array(OrderLine).min(1) }),
  output: z.object({ orderId: z.string(), lineCount: z.number().int(), units: z.number().int(), skus: z.array(z.string()) }),
  handler: (input, context) => {
    const units = input.lines.reduce((sum, line) => sum + line.quantity, 0);
    const skus = [...new Set(input.lines.map((line) => line.sku))].sort();
    context.logger?.log('info', 'order summarized', { orderId: input.orderId, units });
    return { orderId: input.orderId, lineCount: input.lines.length, units, skus };
  },
});

