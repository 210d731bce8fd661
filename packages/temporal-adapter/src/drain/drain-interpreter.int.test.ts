// A drain replays each run's history on the bundle of the interpreter placement that recorded it: a
// run of a `localActivity` worker replays on the localActivity bundle (on the workflow bundle its
// history is non-deterministic, and the drain refused every such run as REPLAY_FAILED). Temporal's
// answers are stubbed (one pinned run, a current version); the replays are real.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { WorkflowBundle } from '@temporalio/worker';
import { createInMemoryStores } from '@baton/runtime-core';
import { cachedBatonBundle } from '../__fixtures__/cached-bundle.js';
import { LOCAL_ACTIVITY_HISTORIES_DIR } from '../__fixtures__/record-histories.js';
import { readHistoryFile } from '../replay/history-files.js';
import { batonWorkflowsPath, type InterpreterMode } from '../worker/workflow-bundle.js';
import { createTemporalDrain } from './drain-runs.js';

const TENANT = 'acme';
const FROM = { deploymentName: 'baton', buildId: 'build-1' };
const TO = { deploymentName: 'baton', buildId: 'build-2' };

/** A Temporal client that knows one run, pinned to build-1, whose history is `history`. */
function stubClient(history: unknown): Pick<Client, 'workflow' | 'workflowService'> {
  const handle = {
    describe: async () => ({
      status: { name: 'RUNNING' },
      taskQueue: 'baton',
      historyLength: 1,
      raw: { workflowExecutionInfo: { versioningInfo: { behavior: 1, deploymentVersion: FROM } } },
    }),
    fetchHistory: async () => history,
  };
  return {
    workflow: { getHandle: () => handle },
    workflowService: { describeWorkerDeployment: async () => ({ workerDeploymentInfo: { routingConfig: { currentDeploymentVersion: TO } } }) },
  } as unknown as Pick<Client, 'workflow' | 'workflowService'>;
}

describe('drain of a run recorded by a localActivity worker', () => {
  it('replays its history on the localActivity bundle and moves it (dry run)', { timeout: 240_000 }, async () => {
    const { history } = await readHistoryFile(path.join(LOCAL_ACTIVITY_HISTORIES_DIR, 'la-echo.json'));
    const stores = createInMemoryStores();
    await stores.runs.create(TENANT, {
      runId: 'la-run',
      workflow: 'la.echo',
      version: '1.0.0',
      definitionHash: 'h',
      engine: 'temporal',
      status: 'WAITING',
      input: null,
      executionKey: null,
      runKey: 'la-run',
      createdAt: new Date().toISOString(),
    });
    const bundles: Record<InterpreterMode, Promise<WorkflowBundle>> = {
      workflow: cachedBatonBundle(),
      localActivity: cachedBatonBundle(batonWorkflowsPath('localActivity')),
    };
    const asked: InterpreterMode[] = [];
    const drain = createTemporalDrain({
      client: stubClient(history),
      runs: stores.runs,
      // (a drain that does not say which placement gets the workflow bundle, as it always did)
      workflowBundle: (interpreter = 'workflow') => {
        asked.push(interpreter);
        return bundles[interpreter];
      },
    });
    const result = await drain.drain(TENANT, { buildId: 'build-1', dryRun: true });
    expect(result).toEqual({ dryRun: true, moved: [{ runId: 'la-run', workflow: 'la.echo', version: '1.0.0', from: FROM, to: TO }], refused: [], runsJudged: 1 });
    expect(asked).toEqual(['localActivity']);
  });
});
