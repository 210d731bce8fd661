import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { RunActionCommand } from '../interpreter/protocol.js';
import { ActionFailure, defineAction } from './action-definition.js';
import { ActionRegistry, ActionRegistryError } from './action-registry.js';
import { actionResultInput, executeAction } from './execute-action.js';

const command = (action: string, input: unknown, extra: Partial<RunActionCommand> = {}): RunActionCommand => ({
  type: 'RunAction',
  commandId: 'r:s:0:1',
  stepId: 's',
  path: 's',
  action,
  actionVersion: 1,
  input: input as null,
  attempt: 1,
  idempotencyKey: 't:r:s:0',
  ...extra,
});

const add = defineAction({
  id: 'math.add',
  version: 1,
  input: z.strictObject({ a: z.number(), b: z.number() }),
  output: z.object({ sum: z.number() }),
  handler: ({ a, b }) => ({ sum: a + b }),
});
const broken = defineAction({ id: 'math.broken', version: 1, input: z.any(), output: z.object({ sum: z.number() }), handler: () => ({ sum: 'no' }) as never });
const thrower = defineAction({
  id: 'net.call',
  version: 1,
  input: z.object({ kind: z.string() }),
  output: z.any(),
  retryable: (err) => err instanceof Error && err.message.includes('ECONNRESET'),
  handler: ({ kind }) => {
    if (kind === 'reset') throw new Error('socket ECONNRESET');
    if (kind === 'plain') throw new Error('bad request');
    if (kind === 'typed') throw new ActionFailure('quota', { code: 'QUOTA', retryable: true, details: { left: 0 } });
    if (kind === 'nan') return { n: Number.NaN };
    return { ok: kind };
  },
});
const slow = defineAction({
  id: 'slow.op',
  version: 1,
  input: z.any(),
  output: z.any(),
  handler: (_input, ctx) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve('late'), 2000);
      ctx.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      });
    }),
});
const registry = new ActionRegistry([add, broken, thrower, slow]);
const ctx = { runId: 'r', tenant: 't' };

describe('executeAction', () => {
  it('runs the handler with validated input and returns the output', async () => {
    expect(await executeAction(registry, command('math.add', { a: 1, b: 2 }), ctx)).toEqual({ ok: true, output: { sum: 3 } });
  });

  it('maps schema failures to ValidationError with issues', async () => {
    expect(await executeAction(registry, command('math.add', { a: 'x' }), ctx)).toMatchObject({
      ok: false,
      error: { category: 'ValidationError', code: 'ACTION_INPUT_INVALID', stepId: 's', details: { issues: expect.any(Array) } },
    });
    expect(await executeAction(registry, command('math.broken', {}), ctx)).toMatchObject({ ok: false, error: { category: 'ValidationError', code: 'ACTION_OUTPUT_INVALID' } });
    expect(await executeAction(registry, command('net.call', { kind: 'nan' }), ctx)).toMatchObject({ ok: false, error: { category: 'ValidationError', code: 'ACTION_OUTPUT_INVALID' } });
  });

  it('classifies thrown errors: retryable() -> TransientError, else ActionError; ActionFailure chooses itself', async () => {
    expect(await executeAction(registry, command('net.call', { kind: 'reset' }), ctx)).toMatchObject({ ok: false, error: { category: 'TransientError', code: 'ACTION_TRANSIENT', message: 'socket ECONNRESET' } });
    expect(await executeAction(registry, command('net.call', { kind: 'plain' }), ctx)).toMatchObject({ ok: false, error: { category: 'ActionError', code: 'ACTION_FAILED' } });
    expect(await executeAction(registry, command('net.call', { kind: 'typed' }), ctx)).toEqual({
      ok: false,
      error: { category: 'TransientError', code: 'QUOTA', message: 'quota', stepId: 's', details: { left: 0 } },
    });
  });

  it('an unknown action is an ActionError', async () => {
    expect(await executeAction(registry, command('math.add', {}, { actionVersion: 2 }), ctx)).toMatchObject({ ok: false, error: { category: 'ActionError', code: 'UNKNOWN_ACTION' } });
  });

  it('times out with TimeoutError and aborts the handler signal', async () => {
    const result = await executeAction(registry, command('slow.op', null, { timeoutMs: 30 }), ctx);
    expect(result).toMatchObject({ ok: false, error: { category: 'TimeoutError', code: 'ACTION_TIMEOUT' } });
  });

  it('returns the stored output of a completed invocation with the same key instead of running again', async () => {
    const stored = new Map<string, unknown>();
    const results = { get: async (k: string) => stored.get(k) as never, put: async (k: string, v: unknown) => void stored.set(k, v) };
    const first = await executeAction(registry, command('math.add', { a: 1, b: 1 }), { ...ctx, results });
    const second = await executeAction(registry, command('math.add', { a: 5, b: 5 }), { ...ctx, results });
    expect(first).toEqual({ ok: true, output: { sum: 2 } });
    expect(second).toEqual({ ok: true, output: { sum: 2 }, reused: true });
    const failed = await executeAction(registry, command('net.call', { kind: 'plain' }, { idempotencyKey: 'other' }), { ...ctx, results });
    expect(failed.ok).toBe(false);
    expect(stored.has('other')).toBe(false);
  });

  it('builds the interpreter input for a result', async () => {
    const c = command('math.add', { a: 1, b: 2 });
    expect(actionResultInput(c, { ok: true, output: 3 }, '2025-01-01T00:00:00.000Z')).toEqual({ type: 'ActionCompleted', now: '2025-01-01T00:00:00.000Z', commandId: 'r:s:0:1', output: 3 });
  });
});

describe('ActionRegistry and defineAction', () => {
  it('refuses duplicates and malformed ids', () => {
    expect(() => new ActionRegistry([add, add])).toThrow(ActionRegistryError);
    expect(() => defineAction({ ...add, id: 'Bad Id' })).toThrow('invalid action id');
    expect(() => defineAction({ ...add, version: 0 })).toThrow('invalid action version');
    expect(registry.has('math.add', 1)).toBe(true);
    expect(registry.list().map((a) => `${a.id}@${a.version}`)).toEqual(['math.add@1', 'math.broken@1', 'net.call@1', 'slow.op@1']);
  });
});
