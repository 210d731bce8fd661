import { describe, expect, it } from 'vitest';
import type { StepRecord } from '@baton/event-schemas';
import { createInMemoryStores } from '@baton/runtime-core';
import type { ProjectionBatch } from '../workflows/activity-contracts.js';
import { writeProjection } from './write-projection.js';

const T0 = '2030-01-01T00:00:00.000Z';
const T1 = '2030-01-01T00:00:01.000Z';

function step(status: StepRecord['status']): StepRecord {
  return { key: 'call@0', stepId: 'call', stepType: 'action.call', path: 'call', iteration: '0', generation: 0, seq: 0, status, attempt: 1, startedAt: T0 };
}

function batch(runId: string, over: Partial<ProjectionBatch>): ProjectionBatch {
  return { tenant: 'acme', runId, steps: [], openedWaits: [], openedTasks: [], closedWaits: [], resolvedTasks: [], closedTasks: [], ...over };
}

async function runningRun(runId: string) {
  const stores = createInMemoryStores();
  await stores.runs.create('acme', {
    runId,
    workflow: 'w',
    version: '1.0.0',
    definitionHash: 'h',
    engine: 'temporal',
    status: 'RUNNING',
    input: null,
    executionKey: null,
    runKey: runId,
    createdAt: T0,
  });
  return stores;
}

describe('writeProjection', () => {
  it('a batch still in flight when the run was cancelled leaves no RUNNING step behind', async () => {
    const stores = await runningRun('r1');
    // the cancel's projection lands first, then the late batch of the action that had just started
    await writeProjection(stores, batch('r1', { steps: [{ ...step('CANCELED'), completedAt: T1 }], run: { status: 'CANCELED', completedAt: T1, updatedAt: T1 } }));
    await writeProjection(stores, batch('r1', { steps: [step('RUNNING')], run: { currentStepId: 'call', updatedAt: T0 } }));
    expect((await stores.runs.listSteps('acme', 'r1')).map((s) => s.status)).toEqual(['CANCELED']);
    expect((await stores.runs.get('acme', 'r1'))!.status).toBe('CANCELED');
  });

  it('writes the steps of an unfinished batch, and the finishing batch over them', async () => {
    const stores = await runningRun('r2');
    await writeProjection(stores, batch('r2', { steps: [step('RUNNING')], run: { currentStepId: 'call', updatedAt: T0 } }));
    expect((await stores.runs.listSteps('acme', 'r2')).map((s) => s.status)).toEqual(['RUNNING']);
    const finishing = batch('r2', { steps: [{ ...step('SUCCEEDED'), completedAt: T1 }], run: { status: 'SUCCEEDED', output: 1, completedAt: T1, updatedAt: T1 } });
    await writeProjection(stores, finishing);
    await writeProjection(stores, finishing); // a retried activity writes it again: no change
    expect((await stores.runs.listSteps('acme', 'r2')).map((s) => s.status)).toEqual(['SUCCEEDED']);
    expect((await stores.runs.get('acme', 'r2'))!).toMatchObject({ status: 'SUCCEEDED', output: 1 });
  });
});
