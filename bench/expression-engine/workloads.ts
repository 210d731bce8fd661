/** The context every workload evaluates against: a run in the middle of an order workflow. */
export const context = {
  input: {
    order: {
      id: 'ord-20240506-0042',
      total: 249.9,
      currency: 'EUR',
      customer: { id: 'c-17', email: 'ann@example.com', tier: 'gold', country: 'DE' },
      items: Array.from({ length: 100 }, (_, i) => ({ sku: `sku-${i}`, qty: 1 + (i % 3), price: Math.round((5 + i * 1.5) * 100) / 100 })),
    },
  },
  vars: { attempts: 1, approved: true },
  run: { id: 'run-1', workflow: 'orders.fulfil', version: '1.0.0', tenant: 't1', engine: 'db', startedAt: '2024-05-06T07:08:09.000Z' },
};

type Context = typeof context;

/** One realistic workflow expression, with the hand-written JavaScript that computes the same value. */
export interface Workload {
  readonly name: string;
  readonly source: string;
  readonly handWritten: (ctx: Context) => unknown;
}

export const workloads: readonly Workload[] = [
  {
    name: 'path lookup',
    source: 'input.order.customer.email',
    handWritten: (ctx) => ctx.input.order.customer.email,
  },
  {
    name: 'boolean condition',
    source: 'input.order.total > 100 and input.order.customer.tier = "gold" and vars.approved',
    handWritten: (ctx) => ctx.input.order.total > 100 && ctx.input.order.customer.tier === 'gold' && ctx.vars.approved,
  },
  {
    name: 'object construction',
    source: '{"orderId": input.order.id, "email": input.order.customer.email, "amount": input.order.total, "currency": input.order.currency, "attempt": vars.attempts + 1}',
    handWritten: (ctx) => ({
      orderId: ctx.input.order.id,
      email: ctx.input.order.customer.email,
      amount: ctx.input.order.total,
      currency: ctx.input.order.currency,
      attempt: ctx.vars.attempts + 1,
    }),
  },
  {
    name: '$sum over 100 items',
    source: '$sum(input.order.items.price)',
    handWritten: (ctx) => ctx.input.order.items.reduce((sum, item) => sum + item.price, 0),
  },
  {
    name: '$map with a lambda over 100 items',
    source: '$map(input.order.items, function($i){ $i.qty * $i.price })',
    handWritten: (ctx) => ctx.input.order.items.map((item) => item.qty * item.price),
  },
  {
    name: 'regex $replace',
    source: '$replace(input.order.customer.email, /@.*$/, "@example.org")',
    handWritten: (ctx) => ctx.input.order.customer.email.replace(/@.*$/, '@example.org'),
  },
  {
    name: '$formatNumber',
    source: '$formatNumber(input.order.total, "#,##0.00")',
    handWritten: (ctx) => ctx.input.order.total.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  },
];
