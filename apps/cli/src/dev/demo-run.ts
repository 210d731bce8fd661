import type { JsonValue } from '@baton/event-schemas';

/** The workflow `baton dev` runs once as a demo. */
export const DEMO_WORKFLOW = 'shop.order-fulfilment';

/** Input of the demo run: one line that ships, one that needs a retry, one that is backordered. */
export function demoOrderInput(inventoryUrl: string, orderId: string): JsonValue {
  return {
    orderId,
    inventoryUrl,
    lines: [
      { sku: 'BOOK-1', quantity: 2 },
      { sku: 'MUG-2', quantity: 1 },
      { sku: 'LAMP-3', quantity: 1 },
    ],
  };
}
