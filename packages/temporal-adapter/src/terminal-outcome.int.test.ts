// Terminal statuses and their errors come only from runtime-core: a Temporal run cancelled on a path
// where the interpreter holds no running state (between two generations) ends with the same status
// and error as a cancel the interpreter applies (and as the Postgres engine gives).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRunRef, runCanceledError } from '@baton/runtime-core';
import { startTemporalTestEnv, TENANT, waitFor, type TemporalTestEnv } from './__fixtures__/temporal-test-env.js';

let env: TemporalTestEnv;
beforeAll(async () => {
  env = await startTemporalTestEnv('terminal-outcome');
});
afterAll(async () => {
  await env?.close();
});

it('a cancel landing while the run resolves its next generation ends CANCELED with the RUN_CANCELED error', async () => {
  await env.publish({
    name: 'terminal.loop',
    version: '1.0.0',
    steps: [
      { id: 'go', type: 'event.wait', eventName: 'NEXT', correlationKey: { $expr: 'input.key' } },
      { id: 'again', type: 'control.continueAsNew' },
    ],
  });
  const { runId } = await env.runtime.startRun(TENANT, { workflow: 'terminal.loop', input: { key: 'gen-1' } });
  await waitFor('the wait', async () => ((await env.runtime.getRun(TENANT, runId)).status === 'WAITING' ? true : undefined));

  // Hold the version resolution of the next generation until the cancel has landed.
  const definitions = env.stores.definitions;
  const listVersions = definitions.listVersions.bind(definitions);
  let reached: () => void = () => undefined;
  const atResolve = new Promise<void>((resolve) => (reached = resolve));
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  definitions.listVersions = async (tenant, name) => {
    if (name === 'terminal.loop') {
      reached();
      await released;
    }
    return listVersions(tenant, name);
  };
  try {
    await env.engine.deliverEvent(createRunRef('temporal', TENANT, runId), { eventId: 'next-1', eventName: 'NEXT', correlationKey: 'gen-1', payload: null });
    await atResolve;
    const answer = await env.runtime.control(TENANT, runId, 'cancel', { reason: 'stop between generations' });
    expect(answer.status).toBe('CANCELED');
  } finally {
    release();
    definitions.listVersions = listVersions;
  }
  const run = await env.runtime.getRun(TENANT, runId);
  expect(run.status).toBe('CANCELED');
  expect(run.error).toEqual(runCanceledError('stop between generations'));
  expect(run.error).toMatchObject({ category: 'Canceled', code: 'RUN_CANCELED', message: 'stop between generations' });
});
