import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewRun } from '@baton/runtime-core';
import { createEngineHarness, echoSteps, workflow, type EngineHarness } from '../__fixtures__/engine-harness.js';
import { createTestActions } from '../__fixtures__/test-actions.js';
import { createPostgresRunCompletionFeed, type PostgresRunCompletionFeed } from './postgres-run-completion-feed.js';

let h: EngineHarness;
let feed: PostgresRunCompletionFeed;
beforeAll(async () => {
  // An awkward schema name proves the trigger's channel matches the feed's for any schema.
  h = await createEngineHarness('completion_feed', createTestActions().registry, { awkward: true });
  feed = createPostgresRunCompletionFeed({ pool: h.t.pool, schema: h.t.schema });
  await feed.ready;
});
afterAll(async () => {
  await feed?.close();
  await h?.close();
});

/** Counts the calls of one watcher. */
function counter(tenant: string, runId: string) {
  let calls = 0;
  const stop = feed.watch(tenant, runId, () => void calls++);
  return { calls: () => calls, stop };
}

function projection(runId: string): NewRun {
  return { runId, workflow: 'w', version: '1.0.0', definitionHash: 'h', engine: 'temporal', status: 'RUNNING', input: {}, executionKey: null, runKey: runId, createdAt: new Date().toISOString() };
}

describe('Postgres run completion feed', () => {
  it('reports a run the Postgres engine finished, to the watchers of that tenant and run only', async () => {
    const def = workflow('feed.echo', [...echoSteps(2), { id: 'out', type: 'control.return', output: 1 }]);
    const runId = 'feed-db-1';
    const mine = counter(h.tenant, runId);
    const otherTenant = counter('globex', runId);
    const otherRun = counter(h.tenant, 'feed-db-other');
    await h.start(def, {}, { runId });
    await expect.poll(mine.calls, { timeout: 10_000 }).toBe(1);
    expect((await h.stores.runs.get(h.tenant, runId))?.status).toBe('SUCCEEDED');
    expect(otherTenant.calls()).toBe(0);
    expect(otherRun.calls()).toBe(0);
    for (const c of [mine, otherTenant, otherRun]) c.stop();
    expect(feed.watchedRuns()).toBe(0);
  });

  it('reports a projection update to a terminal status (the Temporal path) once, and nothing for other updates', async () => {
    const runId = 'feed-temporal-1';
    await h.stores.runs.create(h.tenant, projection(runId));
    const watcher = counter(h.tenant, runId);
    const at = () => new Date().toISOString();
    await h.stores.runs.update(h.tenant, runId, { status: 'WAITING', updatedAt: at() });
    await h.stores.runs.update(h.tenant, runId, { status: 'CANCELED', updatedAt: at(), completedAt: at() });
    await expect.poll(watcher.calls).toBe(1);
    // the same status again, and a non-status change, send nothing
    await h.stores.runs.update(h.tenant, runId, { status: 'CANCELED', updatedAt: at() });
    await h.stores.runs.update(h.tenant, runId, { currentStepId: 'x', updatedAt: at() });
    // a later notification of another run proves the earlier ones were delivered (one connection, in order)
    const marker = counter(h.tenant, 'feed-temporal-2');
    await h.stores.runs.create(h.tenant, projection('feed-temporal-2'));
    await h.stores.runs.update(h.tenant, 'feed-temporal-2', { status: 'FAILED', updatedAt: at() });
    await expect.poll(marker.calls).toBe(1);
    expect(watcher.calls()).toBe(1);
    watcher.stop();
    marker.stop();
  });

  it('calls every watcher after the LISTEN connection was lost and came back', async () => {
    const watcher = counter(h.tenant, 'feed-reconnect');
    const { rows } = await h.t.pool.query<{ pid: number }>(`select pid from pg_stat_activity where query like 'LISTEN %baton_done_%' and pid <> pg_backend_pid()`);
    expect(rows.length).toBeGreaterThan(0);
    for (const { pid } of rows) await h.t.pool.query('select pg_terminate_backend($1)', [pid]);
    await expect.poll(watcher.calls, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    watcher.stop();
  });
});
