// The `localActivity` interpreter on the real dev server: each advance is a local activity
// marker in the history, and an answer for another advance (a wrong sequence number) fails the
// run SEQUENCE_MISMATCH without being applied.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { createRunRef, defineAction } from '@baton/runtime-core';
import { historyEventTypes, resultOf, startTemporalTestEnv, TENANT, waitFor, type TemporalTestEnv } from './__fixtures__/temporal-test-env.js';
import { LOCAL_ACTIVITY_HISTORIES_DIR, RECORDING } from './__fixtures__/record-histories.js';
import { writeHistoryFile } from './replay/history-files.js';
import { workflowIdForRun } from './workflows/workflow-messages.js';

const MISMATCHED = 'la.mismatch';
/** Invocations of `test.count` by input (the key of the run). */
const invoked = new Map<string, number>();
const count = defineAction({
  id: 'test.count',
  version: 1,
  input: z.string(),
  output: z.string(),
  handler: async (key) => {
    invoked.set(key, (invoked.get(key) ?? 0) + 1);
    return key;
  },
});
let env: TemporalTestEnv;
const asked: { workflow: string; sequence: number; input: string }[] = [];

beforeAll(async () => {
  env = await startTemporalTestEnv('local-activity', {
    interpreter: 'localActivity',
    actions: [count],
    interpreterActivity: {
      respond: (request, response) => {
        asked.push({ workflow: request.definition.workflow, sequence: request.sequence, input: request.input.type });
        // A broken interpreter: it answers advance 1 of this workflow as if it were advance 0.
        return request.definition.workflow === MISMATCHED && request.sequence === 1 ? { ...response, sequence: 0 } : response;
      },
    },
  });
  const steps = [
    { id: 'hold', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' } },
    { id: 'echo', type: 'action.call', action: 'test.count', actionVersion: 1, input: { $expr: 'input.key' }, saveAs: 'vars.echoed' },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.echoed' } },
  ];
  await env.publish({ name: 'la.echo', version: '1.0.0', steps }, { name: MISMATCHED, version: '1.0.0', steps });
});
afterAll(async () => {
  await env?.close();
});

async function startWaiting(workflow: string, key: string): Promise<string> {
  const { runId } = await env.runtime.startRun(TENANT, { workflow, input: { key } });
  await waitFor('the wait to open', async () => (await env.stores.waits.listForRun(TENANT, runId, { status: 'WAITING' }))[0]);
  await env.engine.deliverEvent(createRunRef('temporal', TENANT, runId), { eventId: `go-${runId}`, eventName: 'GO', correlationKey: key, payload: null });
  return runId;
}

/** Local activity markers of a run's history, by activity type (decoded from the marker data). */
async function markerTypes(runId: string): Promise<string[]> {
  const history = await env.client.workflow.getHandle(workflowIdForRun(runId)).fetchHistory();
  const decoder = new TextDecoder();
  return (history.events ?? []).flatMap((event) => {
    const payloads = event.markerRecordedEventAttributes?.details?.['data']?.payloads ?? [];
    return payloads.map((p) => /"activity_type":"(\w+)"|"activityType":"(\w+)"/.exec(decoder.decode(p.data ?? new Uint8Array()))).flatMap((m) => (m ? [m[1] ?? m[2]!] : []));
  });
}

describe('the localActivity interpreter', () => {
  it('runs every advance in a local activity, numbered 0, 1, 2 … and echoed', async () => {
    const runId = await startWaiting('la.echo', 'k-1');
    await expect(resultOf(env, runId)).resolves.toBe('k-1');
    expect(invoked.get('k-1')).toBe(1);
    const mine = asked.filter((a) => a.workflow === 'la.echo');
    expect(mine).toEqual([
      { workflow: 'la.echo', sequence: 0, input: 'Start' },
      { workflow: 'la.echo', sequence: 1, input: 'EventReceived' },
      { workflow: 'la.echo', sequence: 2, input: 'ActionCompleted' },
    ]);
    expect((await historyEventTypes(env, runId)).filter((t) => t === 'WORKFLOW_TASK_FAILED')).toEqual([]);
    const markers = await markerTypes(runId);
    expect(markers.filter((t) => t === 'batonAdvance')).toHaveLength(3);
    // The replay fixture of this mode (`histories-local-activity/`, replayed in replay-histories.int.test.ts).
    if (RECORDING) await writeHistoryFile(path.join(LOCAL_ACTIVITY_HISTORIES_DIR, 'la-echo.json'), await env.client.workflow.getHandle(workflowIdForRun(runId)).fetchHistory());
  });

  it('fails the run SEQUENCE_MISMATCH when the interpreter answers another advance, and never applies that answer', async () => {
    const runId = await startWaiting(MISMATCHED, 'k-2');
    const failure = await resultOf(env, runId).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).details?.[0]).toMatchObject({ category: 'TransientError', code: 'SEQUENCE_MISMATCH', details: { expected: 1, received: 0 } });
    const run = await waitFor('the projection to fail', async () => {
      const row = await env.stores.runs.get(TENANT, runId);
      return row?.status === 'FAILED' ? row : undefined;
    });
    expect(run.error).toMatchObject({ code: 'SEQUENCE_MISMATCH' });
    // The mismatched answer (the event taken, the action started) was not applied: the action never ran.
    expect(invoked.get('k-2')).toBeUndefined();
    expect(await env.stores.waits.listForRun(TENANT, runId, { status: 'WAITING' })).toEqual([]);
  });
});
