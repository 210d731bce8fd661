// Test action module: `test.greet@1` (named export) and `test.shout@1` (in the default export array).
import { defineAction } from '@baton/runtime-core';
import { z } from 'zod';

export const greet = defineAction({
  id: 'test.greet',
  version: 1,
  description: 'Greets someone',
  input: z.object({ name: z.string() }),
  output: z.object({ greeting: z.string() }),
  handler: (input) => ({ greeting: `hello ${input.name}` }),
});

const shout = defineAction({
  id: 'test.shout',
  version: 1,
  input: z.string(),
  output: z.string(),
  handler: (input) => input.toUpperCase(),
});

export const notAnAction = { id: 'x' };
export default [shout];
