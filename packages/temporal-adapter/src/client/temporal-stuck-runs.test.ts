import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { InMemoryRunStore, isBatonError } from '@baton/runtime-core';
import { createTemporalStuckRuns } from './temporal-stuck-runs.js';

// Temporal unreachable: the listing must say so (ENGINE_UNAVAILABLE), never answer "nothing is stuck".
describe('createTemporalStuckRuns when Temporal cannot be asked', () => {
  it('answers ENGINE_UNAVAILABLE instead of an empty list', async () => {
    const runs = new InMemoryRunStore();
    await runs.create('acme', {
      runId: 'run-1',
      workflow: 'w',
      version: '1.0.0',
      definitionHash: 'h',
      engine: 'temporal',
      status: 'WAITING',
      input: null,
      executionKey: null,
      runKey: 'run-1',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const down = new Error('14 UNAVAILABLE: connection refused');
    const client = {
      workflow: { getHandle: () => ({ describe: () => Promise.reject(down) }) },
      workflowService: { describeTaskQueue: () => Promise.reject(down) },
    } as unknown as Pick<Client, 'workflow' | 'workflowService'>;
    const error = await createTemporalStuckRuns({ client, runs })
      .listStuck('acme', { limit: 10 })
      .then(() => undefined, (e: unknown) => e);
    expect(isBatonError(error) && error.code).toBe('ENGINE_UNAVAILABLE');
    expect((error as Error).message).toContain('connection refused');
    // another tenant has no Temporal runs: nothing to ask
    expect(await createTemporalStuckRuns({ client, runs }).listStuck('globex', { limit: 10 })).toEqual({ items: [], nextCursor: null });
  });
});
