// The `baton.upgradeDefinition` update on the real dev server: a waiting run moves to v2 at its wait,
// refusals leave no trace in the history, the run finishes on v2, and its history (with the update)
// replays against the current workflow code. With BATON_RECORD_HISTORIES=1 the history is written to
// `histories/upgrade-definition-update.json`, so the recorded-history replay test keeps checking it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunRef, type RunUpgradeRequest } from '@baton/runtime-core';
import { HISTORIES_DIR, RECORDING } from './__fixtures__/record-histories.js';
import { historyEventTypes, resultOf, startTemporalTestEnv, TENANT, waitFor, type TemporalTestEnv } from './__fixtures__/temporal-test-env.js';
import { writeHistoryFile } from './replay/history-files.js';
import { replayHistories } from './replay/replay-histories.js';
import { workflowIdForRun } from './workflows/workflow-messages.js';

const paid = { id: 'paid', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.paid' };
const V1 = { name: 'upgrade.flow', version: '1.0.0', steps: [paid, { id: 'done', type: 'control.return', output: { $expr: 'vars' } }] };
const V2 = { ...V1, version: '2.0.0', steps: [paid, { id: 'fee', type: 'transform.assign', assign: { 'vars.fee': 5 } }, { id: 'done', type: 'control.return', output: { $expr: 'vars' } }] };
/** v3 changes the step the run waits at: the run cannot move there. */
const V3 = { ...V2, version: '3.0.0', steps: [{ ...paid, eventName: 'PAID_V3' }, ...V2.steps.slice(1)] };

let env: TemporalTestEnv;
beforeAll(async () => {
  env = await startTemporalTestEnv('upgrade');
  await env.publish(V1, V2, V3);
}, 120_000);
afterAll(async () => env?.close());

async function request(from: string, to: string): Promise<RunUpgradeRequest> {
  const version = async (v: string) => {
    const found = (await env.stores.definitions.get(TENANT, V1.name, v))!;
    return { version: found.version, hash: found.hash, definition: found.definition };
  };
  return { from: await version(from), to: await version(to), audit: { actor: 'test', at: new Date().toISOString() } };
}

describe('baton.upgradeDefinition', () => {
  it('moves a waiting run to v2 at its wait; refusals leave no history event; the run finishes on v2 and its history replays', async () => {
    const { runId } = await env.runtime.startRun(TENANT, { workflow: V1.name, version: '1.0.0', input: { key: 'u-1' }, engine: 'temporal' });
    const ref = createRunRef('temporal', TENANT, runId);
    await waitFor('the wait', async () => ((await env.engine.queryState(ref)).currentStepId === 'paid' ? true : undefined));

    expect(await env.engine.upgradeRun(ref, await request('1.0.0', '2.0.0'))).toEqual({ moved: true, audited: false });
    expect((await env.engine.queryState(ref)).version).toBe('2.0.0');
    // the projection followed before the update answered
    expect(await env.stores.runs.get(TENANT, runId)).toMatchObject({ version: '2.0.0', status: 'WAITING' });
    // never moved twice; a move to a version whose wait step changed is refused: neither is in the history
    expect(await env.engine.upgradeRun(ref, await request('1.0.0', '2.0.0'))).toEqual({ moved: false, audited: false, class: 'CANNOT_MOVE', reason: 'NOT_ON_FROM_VERSION' });
    expect(await env.engine.upgradeRun(ref, await request('2.0.0', '3.0.0'))).toEqual({
      moved: false,
      audited: false,
      class: 'CANNOT_MOVE',
      reason: 'STEP_CHANGED',
      stepPath: 'steps[0]',
    });
    expect((await historyEventTypes(env, runId)).filter((t) => t.startsWith('WORKFLOW_EXECUTION_UPDATE'))).toEqual([
      'WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
      'WORKFLOW_EXECUTION_UPDATE_COMPLETED',
    ]);

    await env.engine.deliverEvent(ref, { eventId: 'p-1', eventName: 'PAID', correlationKey: 'u-1', payload: { amount: 3 } });
    expect(await resultOf(env, runId)).toEqual({ paid: { eventId: 'p-1', eventName: 'PAID', correlationKey: 'u-1', payload: { amount: 3 } }, fee: 5 });

    const workflowId = workflowIdForRun(runId);
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const replayed = await replayHistories([{ workflowId, history }], { workflowBundle: env.bundle });
    expect(replayed.error).toBeUndefined();
    expect(replayed.results.filter((r) => r.error)).toEqual([]);
    if (RECORDING) await writeHistoryFile(path.join(HISTORIES_DIR, 'upgrade-definition-update.json'), history);
  }, 120_000);
});
