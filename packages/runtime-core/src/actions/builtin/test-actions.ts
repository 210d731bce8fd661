import { z } from 'zod';
import { ActionFailure, defineAction } from '../action-definition.js';

/** `test.fail@1` (test actions only): always fails; `retryable` picks TransientError over ActionError. */
export const testFail = defineAction({
  id: 'test.fail',
  version: 1,
  description: 'Always fails (test action)',
  input: z.strictObject({ message: z.string(), retryable: z.boolean().optional(), code: z.string().min(1).optional() }),
  output: z.never(),
  handler: (input) => {
    throw new ActionFailure(input.message, { retryable: input.retryable ?? false, code: input.code ?? 'TEST_FAIL' });
  },
});

/** `test.flaky@1` (test actions only): TransientError while the attempt is <= failTimes, then `{attempts}`. */
export const testFlaky = defineAction({
  id: 'test.flaky',
  version: 1,
  description: 'Fails with TransientError on attempts 1..failTimes (test action)',
  input: z.strictObject({ failTimes: z.number().int().min(0) }),
  output: z.object({ attempts: z.number().int().min(1) }),
  handler: (input, context) => {
    if (context.attempt <= input.failTimes) {
      throw new ActionFailure(`flaky failure on attempt ${context.attempt} of ${input.failTimes}`, { retryable: true, code: 'TEST_FLAKY' });
    }
    return { attempts: context.attempt };
  },
});
