// GET /v1/actions and publishing against the live action catalog (built-ins + what workers registered).
import { defineAction, describeAction } from '@baton/runtime-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, type IngressHarness, TENANT_A } from '../__fixtures__/ingress-harness.js';

let h: IngressHarness;
let a: TenantClient;

/** What a worker with BATON_ACTIONS naming a module exporting this action registers. */
const createInvoice = describeAction(
  defineAction({
    id: 'billing.create-invoice',
    version: 1,
    description: 'Creates an invoice',
    input: z.object({ customerId: z.string().min(1), amountCents: z.number().int().positive(), currency: z.enum(['EUR', 'USD']).default('EUR') }),
    output: z.object({ invoiceId: z.string() }),
    handler: () => ({ invoiceId: 'INV-1' }),
  }),
);

const usingInvoice = (version: string, input: unknown) => ({
  name: 'billing.monthly',
  version,
  steps: [{ id: 'invoice', type: 'action.call', action: 'billing.create-invoice', actionVersion: 1, input }],
});

interface Issue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}
const issuesOf = (res: Parameters<typeof errorOf>[0]) => (errorOf(res) as unknown as { issues: Issue[] }).issues;

beforeAll(async () => {
  h = await createIngressHarness('actions_catalog');
  a = tenantClient(h.app, TENANT_A);
});
afterAll(async () => h?.close());

describe('GET /v1/actions', () => {
  it('lists the built-ins with their JSON Schemas even when no worker is live, and needs a key', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/v1/actions' })).statusCode).toBe(401);
    const res = await a.get('/v1/actions');
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: { action: string; version: number; providers: unknown[]; inputSchema: Record<string, unknown> }[] }).items;
    expect(items.map((i) => `${i.action}@${i.version}`)).toEqual(expect.arrayContaining(['core.echo@1', 'core.log@1', 'http.request@1']));
    const log = items.find((i) => i.action === 'core.log')!;
    expect(log.providers).toEqual([]);
    expect(log.inputSchema).toMatchObject({ type: 'object', required: ['message'] });
  });

  it('adds what live workers registered, with providers per engine, and drops a worker at once when it unregisters', async () => {
    await h.actionCatalog.register({ workerId: 'billing-1', engines: ['db', 'temporal'], actions: [createInvoice], ttlMs: 60_000 });
    await h.actionCatalog.register({ workerId: 'billing-2', engines: ['db'], actions: [createInvoice], ttlMs: 60_000 });
    const items = (await a.get('/v1/actions')).json() as { items: { action: string }[] };
    expect(items.items.find((i) => i.action === 'billing.create-invoice')).toEqual({
      action: 'billing.create-invoice',
      version: 1,
      description: 'Creates an invoice',
      inputSchema: createInvoice.inputSchema,
      outputSchema: createInvoice.outputSchema,
      providers: [
        { engine: 'db', workers: 2 },
        { engine: 'temporal', workers: 1 },
      ],
    });
    await h.actionCatalog.unregister('billing-2');
    await h.actionCatalog.unregister('billing-1');
    expect(((await a.get('/v1/actions')).json() as { items: { action: string }[] }).items.some((i) => i.action === 'billing.create-invoice')).toBe(false);
  });
});

describe('publishing against the catalog', () => {
  it('refuses an action no live worker provides: 400 UNKNOWN_ACTION at the step path', async () => {
    const res = await a.post('/v1/workflows', usingInvoice('1.0.0', { customerId: 'c-1', amountCents: 100 }));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('INVALID_WORKFLOW_DEFINITION');
    expect(issuesOf(res)).toEqual([{ path: 'steps[0].action', code: 'UNKNOWN_ACTION', message: 'action billing.create-invoice@1 is not registered' }]);
  });

  it('accepts it once a worker provides it, checking the literal parts of the input against its input schema', async () => {
    await h.actionCatalog.register({ workerId: 'billing-3', engines: ['db'], actions: [createInvoice], ttlMs: 60_000 });

    const bad = await a.post('/v1/workflows', usingInvoice('1.0.0', { customerId: '', amountCents: 'ten', currency: 'GBP', extra: { $expr: 'input.x' } }));
    expect(bad.statusCode).toBe(400);
    const issues = issuesOf(bad);
    expect(issues.every((i) => i.code === 'INVALID_ACTION_INPUT')).toBe(true);
    expect(issues.map((i) => i.path).sort()).toEqual(['steps[0].input.amountCents', 'steps[0].input.currency', 'steps[0].input.customerId']);

    const missing = await a.post('/v1/workflows', usingInvoice('1.0.0', { amountCents: { $expr: 'input.amount' } }));
    expect(missing.statusCode).toBe(400);
    expect(issuesOf(missing)).toEqual([expect.objectContaining({ path: 'steps[0].input', code: 'INVALID_ACTION_INPUT' })]);

    // Expressions (and secrets) stand for run-time values: only the literal parts are judged.
    const ok = await a.post('/v1/workflows', usingInvoice('1.0.0', { customerId: { $expr: 'input.customer' }, amountCents: { $expr: 'input.amount' } }));
    expect(ok.statusCode).toBe(201);
    const wholeExpr = await a.post('/v1/workflows', usingInvoice('1.0.1', { $expr: 'input' }));
    expect(wholeExpr.statusCode).toBe(201);
  });
});
