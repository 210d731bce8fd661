// Actions the conformance scenarios call. Their behaviour depends only on their input and the
// attempt number, so every engine (any process, any host) sees the same outcomes.
import { JsonValue } from '@baton/event-schemas';
import { z } from 'zod';
import { ActionFailure, defineAction, type AnyActionDefinition } from '../actions/action-definition.js';

/** `kit.echo@1`: returns its input. */
export const kitEcho = defineAction({ id: 'kit.echo', version: 1, input: JsonValue, output: JsonValue, handler: (input) => input });

/** `kit.add@1`: `{a, b}` -> `{sum}`. */
export const kitAdd = defineAction({
  id: 'kit.add',
  version: 1,
  input: z.strictObject({ a: z.number(), b: z.number() }),
  output: z.object({ sum: z.number() }),
  handler: ({ a, b }) => ({ sum: a + b }),
});

/** `kit.fail@1`: always fails; `retryable` picks TransientError over ActionError. */
export const kitFail = defineAction({
  id: 'kit.fail',
  version: 1,
  input: z.strictObject({ code: z.string().optional(), message: z.string().optional(), retryable: z.boolean().optional() }),
  output: z.never(),
  handler: (input) => {
    throw new ActionFailure(input.message ?? 'kit.fail failed', { code: input.code ?? 'KIT_FAIL', retryable: input.retryable ?? false });
  },
});

/** `kit.flaky@1`: fails on attempts 1..failTimes (TransientError unless `retryable: false`), then `{attempts}`. */
export const kitFlaky = defineAction({
  id: 'kit.flaky',
  version: 1,
  input: z.strictObject({ failTimes: z.number().int().min(0), retryable: z.boolean().optional() }),
  output: z.object({ attempts: z.number().int() }),
  handler: (input, context) => {
    if (context.attempt <= input.failTimes) {
      throw new ActionFailure(`kit.flaky attempt ${context.attempt} fails`, { code: 'KIT_FLAKY', retryable: input.retryable ?? true });
    }
    return { attempts: context.attempt };
  },
});

/** `kit.sleep@1`: waits `ms` of real time (abortable), then `{slept}`. */
export const kitSleep = defineAction({
  id: 'kit.sleep',
  version: 1,
  input: z.strictObject({ ms: z.number().int().min(0).max(5_000) }),
  output: z.object({ slept: z.number() }),
  handler: ({ ms }, context) =>
    new Promise<{ slept: number }>((resolve, reject) => {
      const timer = setTimeout(() => resolve({ slept: ms }), ms);
      context.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      });
    }),
});

/** `kit.bad-output@1`: returns an output that violates its own schema (ValidationError). */
export const kitBadOutput = defineAction({
  id: 'kit.bad-output',
  version: 1,
  input: JsonValue,
  output: z.object({ ok: z.boolean() }),
  handler: () => ({ ok: 'yes' }) as unknown as { ok: boolean },
});

/** `kit.strict-input@1`: `{n: number}` -> `{n}`; any other input is a ValidationError. */
export const kitStrictInput = defineAction({
  id: 'kit.strict-input',
  version: 1,
  input: z.strictObject({ n: z.number() }),
  output: z.object({ n: z.number() }),
  handler: ({ n }) => ({ n }),
});

/** Every conformance action; engines register these next to the built-ins to run the kit. */
export const conformanceActions: readonly AnyActionDefinition[] = [kitEcho, kitAdd, kitFail, kitFlaky, kitSleep, kitBadOutput, kitStrictInput];
