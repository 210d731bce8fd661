// The back-to-back continue-as-new cap of runtime-core (`planNextGeneration`) on the Temporal engine:
// a run that continues as new without waiting for anything fails with CONTINUE_AS_NEW_LIMIT_EXCEEDED,
// like on the Postgres engine (there with the default cap of 1,000; here 3, to keep the test short).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTemporalTestEnv, TENANT, waitFor, type TemporalTestEnv } from './__fixtures__/temporal-test-env.js';

const LIMIT = 3;
let env: TemporalTestEnv;
beforeAll(async () => {
  env = await startTemporalTestEnv('generation-limit', { settings: { maxBackToBackGenerations: LIMIT } });
});
afterAll(async () => {
  await env?.close();
});

it('a run continuing as new back to back past the cap fails with CONTINUE_AS_NEW_LIMIT_EXCEEDED', async () => {
  await env.publish({ name: 'limit.runaway', version: '1.0.0', steps: [{ id: 'again', type: 'control.continueAsNew', input: { $expr: 'input + 1' } }] });
  const { runId } = await env.runtime.startRun(TENANT, { workflow: 'limit.runaway', input: 0 });
  const run = await waitFor('the run to finish', async () => {
    const view = await env.runtime.getRun(TENANT, runId);
    return view.status === 'FAILED' || view.status === 'SUCCEEDED' ? view : undefined;
  });
  expect(run).toMatchObject({ status: 'FAILED', error: { category: 'ValidationError', code: 'CONTINUE_AS_NEW_LIMIT_EXCEEDED', details: { limit: LIMIT } } });
});

it('generations that each wait for something are not back to back: the cap does not apply', async () => {
  await env.publish({
    name: 'limit.ticking',
    version: '1.0.0',
    steps: [
      { id: 'tick', type: 'time.wait', durationMs: 1 },
      { id: 'more', type: 'control.if', condition: { $expr: 'input < 5' }, then: [{ id: 'again', type: 'control.continueAsNew', input: { $expr: 'input + 1' } }] },
      { id: 'out', type: 'control.return', output: { $expr: 'input' } },
    ],
  });
  const { runId } = await env.runtime.startRun(TENANT, { workflow: 'limit.ticking', input: 0 });
  const run = await waitFor('the run to finish', async () => {
    const view = await env.runtime.getRun(TENANT, runId);
    return view.status === 'FAILED' || view.status === 'SUCCEEDED' ? view : undefined;
  });
  expect(run).toMatchObject({ status: 'SUCCEEDED', output: 5 });
});
