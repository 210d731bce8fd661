// A team's own action module, as README "Your own actions" shows it: `npm start` with
// BATON_ACTIONS pointing here must load it beside the example actions the demo calls.
import { defineAction } from '@baton/runtime-core';
import { z } from 'zod';

export const createInvoice = defineAction({
  id: 'billing.create-invoice',
  version: 1,
  description: 'Creates an invoice',
  input: z.object({ customerId: z.string(), amountCents: z.number().int().positive() }),
  output: z.object({ invoiceId: z.string() }),
  handler: async (input) => ({ invoiceId: `INV-${input.customerId}-${input.amountCents}` }),
});
