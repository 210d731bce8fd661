import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '@baton/event-schemas';
import { createRunRef, type StartRunRequest } from '@baton/runtime-core';
import { createEngineHarness, echoSteps, workflow, type EngineHarness } from '../__fixtures__/engine-harness.js';
import { createTestActions } from '../__fixtures__/test-actions.js';
import { createPostgresEngine, type PostgresEngine } from './postgres-engine.js';

// The ingress's engine: no worker loop in this process, so every start goes through the group commit.
let h: EngineHarness;
// A worker beside it, over the same schema, that runs what the ingress started.
let worker: PostgresEngine;
const flow = workflow('batch.echo', echoSteps(2));
let hash: string;

beforeAll(async () => {
  h = await createEngineHarness('start-batch', createTestActions().registry, { worker: false });
  worker = createPostgresEngine({ pool: h.t.pool, schema: h.t.schema, actions: createTestActions().registry, leaseMs: 5000, pollIntervalMs: 200 });
  await worker.startWorker();
  ({ hash } = await h.publish(flow));
});
afterAll(async () => {
  await worker?.stopWorker({ graceMs: 2000 });
  await h?.close();
});

function request(input: JsonValue, extra: { executionKey?: string; tenant?: string } = {}): StartRunRequest {
  const runId = randomUUID();
  return {
    tenant: extra.tenant ?? h.tenant,
    runId,
    workflow: { name: flow.name, version: flow.version, hash },
    definition: flow,
    input,
    executionKey: extra.executionKey ?? null,
    runKey: extra.executionKey ?? runId,
    startedAt: new Date().toISOString(),
  };
}

describe('createAndStart: one durable write per start, concurrent starts in one commit', () => {
  it('16 concurrent starts are one statement: every run is stored RUNNING, runnable, and a worker runs it to the end', async () => {
    expect(h.engine.capabilities.storesRunOnStart).toBe(true);
    await h.engine.createAndStart!(request({ warm: true })); // the definition is known to this engine from here on
    const before = h.engine.startStats;
    const requests = Array.from({ length: 16 }, (_, i) => request({ i }));
    const started = await Promise.all(requests.map((r) => h.engine.createAndStart!(r)));
    expect(started).toEqual(requests.map((r) => ({ runId: r.runId, created: true })));
    expect(h.engine.startStats).toMatchObject({ batches: before.batches + 1, starts: before.starts + 16 });
    const rows = await h.t.db.selectFrom('workflow_runs').select(['run_id', 'status', 'engine', 'input']).where('run_id', 'in', requests.map((r) => r.runId)).execute();
    expect(rows).toHaveLength(16);
    for (const row of rows) expect(row).toMatchObject({ status: 'RUNNING', engine: 'db' });
    for (const r of requests) expect(await worker.awaitRun(createRunRef('db', r.tenant, r.runId), { timeoutMs: 60_000 })).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('one start Postgres refuses fails alone: the batch is redone one start at a time and the others are stored', async () => {
    const before = h.engine.startStats;
    // a lone UTF-16 surrogate: JSON.stringify writes "\ud800", which jsonb refuses (22P02)
    const bad = request({ text: '\ud800' });
    const good = Array.from({ length: 7 }, (_, i) => request({ i }));
    const results = await Promise.allSettled([bad, ...good].map((r) => h.engine.createAndStart!(r)));
    expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: '22P02' }) });
    expect(results.slice(1)).toEqual(good.map((r) => ({ status: 'fulfilled', value: { runId: r.runId, created: true } })));
    expect(h.engine.startStats.fallbacks).toBe(before.fallbacks + 1);
    expect(await h.t.db.selectFrom('workflow_runs').select('run_id').where('run_id', '=', bad.runId).executeTakeFirst()).toBeUndefined();
    for (const r of good) expect(await worker.awaitRun(createRunRef('db', r.tenant, r.runId), { timeoutMs: 60_000 })).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('the same executionKey in one batch, again later, or on a Temporal run: one run, the others answer it (created: false)', async () => {
    const key = `k-${randomUUID()}`;
    const [a, b] = [request({ n: 1 }, { executionKey: key }), request({ n: 2 }, { executionKey: key })];
    const both = await Promise.all([h.engine.createAndStart!(a), h.engine.createAndStart!(b)]);
    expect(both).toEqual([
      { runId: a.runId, created: true },
      { runId: a.runId, created: false },
    ]);
    expect(await h.engine.createAndStart!(request({ n: 3 }, { executionKey: key }))).toEqual({ runId: a.runId, created: false });
    // another tenant's key is its own run
    const other = request({ n: 4 }, { executionKey: key, tenant: 'globex' });
    await h.publish(flow, 'globex');
    expect(await h.engine.createAndStart!(other)).toEqual({ runId: other.runId, created: true });

    // a Temporal run with that key: answered as existing and left alone (the runtime hands it to its own engine)
    const temporalKey = `t-${randomUUID()}`;
    const { run: temporalRun } = await h.stores.runs.create(h.tenant, {
      runId: randomUUID(),
      workflow: flow.name,
      version: flow.version,
      definitionHash: hash,
      engine: 'temporal',
      status: 'RUNNING',
      input: {},
      executionKey: temporalKey,
      runKey: temporalKey,
      createdAt: new Date().toISOString(),
    });
    expect(await h.engine.createAndStart!(request({ n: 5 }, { executionKey: temporalKey }))).toEqual({ runId: temporalRun.runId, created: false });
    expect(await h.t.db.selectFrom('workflow_runs').select(['engine', 'wake_at']).where('run_id', '=', temporalRun.runId).executeTakeFirstOrThrow()).toEqual({ engine: 'temporal', wake_at: null });
  });
});
