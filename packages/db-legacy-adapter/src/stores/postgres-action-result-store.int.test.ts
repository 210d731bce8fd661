import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionRegistry, executeAction, type ActionResultStore, type RunActionCommand } from '@baton/runtime-core';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { createPostgresActionResultStore } from './postgres-action-result-store.js';

let t: TestDatabase;
let store: ActionResultStore;
beforeAll(async () => {
  t = await createTestDatabase('action_results', { awkward: true });
  store = createPostgresActionResultStore(t.db);
});
afterAll(async () => t?.drop());

const invocation = (attempt = 1, tenant = 'acme') => ({ tenant, runId: 'run-1', stepId: 'charge', action: 'core.echo', actionVersion: 1, attempt });

describe('Postgres action result store (durable idempotency for the Temporal worker)', () => {
  it('returns nothing for an unknown key, then the stored output, including JSON null', async () => {
    expect(await store.get('acme:run-1:charge:0', invocation())).toBeUndefined();
    await store.put('acme:run-1:charge:0', { charged: 42 }, invocation());
    expect(await store.get('acme:run-1:charge:0', invocation(2))).toEqual({ charged: 42 });
    await store.put('acme:k-null', null, invocation());
    expect(await store.get('acme:k-null', invocation())).toBeNull();
  });

  it('keeps the first completed output and scopes keys by tenant', async () => {
    await store.put('acme:first-wins', { n: 1 }, invocation());
    await store.put('acme:first-wins', { n: 2 }, invocation(2));
    expect(await store.get('acme:first-wins', invocation())).toEqual({ n: 1 });
    expect(await store.get('acme:first-wins', invocation(1, 'other'))).toBeUndefined();
  });

  it('replaces a failed attempt recorded under the key by the Postgres engine', async () => {
    await t.db
      .insertInto('workflow_action_invocations')
      .values({ tenant_id: 'acme', idempotency_key: 'acme:was-failed', run_id: 'run-1', step_id: 'charge', action: 'core.echo', action_version: 1, attempt: 1, status: 'FAILED', output: null, error: JSON.stringify({ category: 'TransientError' }) })
      .execute();
    expect(await store.get('acme:was-failed', invocation())).toBeUndefined();
    await store.put('acme:was-failed', { ok: true }, invocation(2));
    expect(await store.get('acme:was-failed', invocation())).toEqual({ ok: true });
  });

  it('makes executeAction reuse a completed invocation instead of running the handler again', async () => {
    const registry = createActionRegistry();
    const command: RunActionCommand = {
      type: 'RunAction',
      commandId: 'run-9:echo:0:1',
      stepId: 'echo',
      path: 'echo',
      action: 'core.echo',
      actionVersion: 1,
      input: { v: 'first' },
      attempt: 1,
      idempotencyKey: 'acme:run-9:echo:0',
    };
    const first = await executeAction(registry, command, { runId: 'run-9', tenant: 'acme', results: store });
    expect(first).toEqual({ ok: true, output: { v: 'first' } });
    const again = await executeAction(registry, { ...command, attempt: 2, input: { v: 'second' } }, { runId: 'run-9', tenant: 'acme', results: store });
    expect(again).toEqual({ ok: true, output: { v: 'first' }, reused: true });
  });
});
