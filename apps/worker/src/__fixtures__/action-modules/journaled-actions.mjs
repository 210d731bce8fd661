// Test action module: `test.journaled@1` sleeps `ms`, and appends `<event> <pid> <runId> <stepId> <attempt>`
// lines (`start`, `end`) to the file named by BATON_TEST_ACTION_JOURNAL, so a test sees which worker
// process ran which step, and how often a step's handler ran to its end.
import { appendFileSync } from 'node:fs';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { defineAction } from '@baton/runtime-core';
import { z } from 'zod';

function journal(event, context) {
  const file = process.env.BATON_TEST_ACTION_JOURNAL;
  if (file) appendFileSync(file, `${event} ${process.pid} ${context.runId} ${context.stepId} ${context.attempt}\n`);
}

export const journaled = defineAction({
  id: 'test.journaled',
  version: 1,
  input: z.object({ ms: z.number().int().min(0), n: z.number() }),
  output: z.object({ n: z.number() }),
  handler: async (input, context) => {
    journal('start', context);
    await delay(input.ms, undefined, { signal: context.signal });
    journal('end', context);
    return { n: input.n };
  },
});
