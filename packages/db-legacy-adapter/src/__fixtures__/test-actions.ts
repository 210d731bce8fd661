import { z } from 'zod';
import { JsonValue } from '@baton/event-schemas';
import { ActionFailure, createActionRegistry, defineAction, type ActionRegistry } from '@baton/runtime-core';

/** Observable test actions: executions are counted per idempotency key. */
export interface TestActions {
  readonly registry: ActionRegistry;
  /** executions of `test.count` per idempotency key */
  readonly executions: Map<string, number>;
  /** while false, `test.gate` fails with a non-retryable ActionError */
  gateOpen: boolean;
}

/** The built-in actions (with test.fail/test.flaky) plus `test.count`, `test.gate` and `test.slow`. */
export function createTestActions(): TestActions {
  const state: TestActions = { registry: undefined as never, executions: new Map(), gateOpen: false };
  const count = defineAction({
    id: 'test.count',
    version: 1,
    input: JsonValue,
    output: JsonValue,
    handler: (input, ctx) => {
      state.executions.set(ctx.idempotencyKey, (state.executions.get(ctx.idempotencyKey) ?? 0) + 1);
      return input;
    },
  });
  const gate = defineAction({
    id: 'test.gate',
    version: 1,
    input: JsonValue,
    output: z.object({ attempt: z.number() }),
    handler: (_input, ctx) => {
      if (!state.gateOpen) throw new ActionFailure('the gate is closed', { code: 'GATE_CLOSED' });
      return { attempt: ctx.attempt };
    },
  });
  const slow = defineAction({
    id: 'test.slow',
    version: 1,
    input: z.object({ ms: z.number() }),
    output: z.object({ slept: z.number() }),
    handler: (input, ctx) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve({ slept: input.ms }), input.ms);
        ctx.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        });
      }),
  });
  (state as { registry: ActionRegistry }).registry = createActionRegistry({ enableTestActions: true, actions: [count, gate, slow] });
  return state;
}
