// Test action module that provides `test.greet@1` again (a clash with greet-actions.mjs) and `test.greet@2`.
import { defineAction } from '@baton/runtime-core';
import { z } from 'zod';

export const greetAgain = defineAction({
  id: 'test.greet',
  version: 1,
  input: z.object({ name: z.string() }),
  output: z.object({ greeting: z.string() }),
  handler: (input) => ({ greeting: `hi ${input.name}` }),
});

export const greetV2 = defineAction({
  id: 'test.greet',
  version: 2,
  input: z.object({ name: z.string() }),
  output: z.object({ greeting: z.string() }),
  handler: (input) => ({ greeting: `hello there, ${input.name}` }),
});
