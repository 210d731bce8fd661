import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewRun } from '@baton/runtime-core';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { createPostgresStores } from './create-postgres-stores.js';

let t: TestDatabase;
let stores: ReturnType<typeof createPostgresStores>;
beforeAll(async () => {
  t = await createTestDatabase('stale-scan', { awkward: true });
  stores = createPostgresStores({ pool: t.pool, schema: t.schema });
});
afterAll(async () => t?.drop());

const at = (m: number) => new Date(Date.UTC(2030, 0, 1, 0, m)).toISOString();

function newRun(runId: string, extra: Partial<NewRun> = {}): NewRun {
  return { runId, workflow: 'w', version: '1.0.0', definitionHash: 'h', engine: 'temporal', status: 'RUNNING', input: null, executionKey: null, runKey: runId, createdAt: at(0), ...extra };
}

describe('postgres stale run scan', () => {
  it('lists unfinished runs of the engine not updated since a time, across tenants, in run id order, paged by run id', async () => {
    await stores.runs.create('acme', newRun('r-1'));
    await stores.runs.create('initech', newRun('r-2', { status: 'WAITING' }));
    await stores.runs.create('acme', newRun('r-3'));
    await stores.runs.create('acme', newRun('r-4', { createdAt: at(30) })); // updated recently
    await stores.runs.create('acme', newRun('r-5', { engine: 'db' })); // other engine
    await stores.runs.create('acme', newRun('r-6'));
    await stores.runs.update('acme', 'r-6', { status: 'SUCCEEDED', updatedAt: at(1) }); // finished
    const ids = async (q: { afterRunId?: string; limit: number }) =>
      (await stores.staleRuns.listStale({ engine: 'temporal', updatedBefore: at(10), ...q })).map((r) => `${r.tenant}/${r.runId}`);
    expect(await ids({ limit: 10 })).toEqual(['acme/r-1', 'initech/r-2', 'acme/r-3']);
    expect(await ids({ limit: 2 })).toEqual(['acme/r-1', 'initech/r-2']);
    expect(await ids({ afterRunId: 'r-2', limit: 2 })).toEqual(['acme/r-3']);
    const [first] = await stores.staleRuns.listStale({ engine: 'temporal', updatedBefore: at(10), limit: 1 });
    expect(first).toMatchObject({ tenant: 'acme', runId: 'r-1', status: 'RUNNING', engine: 'temporal', updatedAt: at(0) });
  });

  it('uses the partial index of unfinished Temporal runs', async () => {
    const client = await t.pool.connect();
    try {
      // A seq scan is the planner's right choice on a tiny table; forbid it to see that the index applies.
      await client.query('set enable_seqscan = off');
      const plan = await client.query(
        `explain select * from "${t.schema.replaceAll('"', '""')}".workflow_runs where engine = 'temporal' and status in ('RUNNING', 'WAITING') and run_id > 'r' order by run_id limit 100`,
      );
      expect(JSON.stringify(plan.rows)).toContain('workflow_runs_temporal_unfinished');
    } finally {
      await client.query('reset enable_seqscan');
      client.release();
    }
  });
});
